"""The deputies' duty ledgers: grid duties (网格履职台账), voter contacts (联系选民台账) and activities with
attendance (代表活动及出席台账). Each module has the interface ``imports.services.KINDS`` expects (see
``imports.reception``); ``common`` holds what they share: name lookups, row reading, keys, record bookkeeping.
"""
