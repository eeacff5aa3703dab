"""Every change to a livelihood cycle, one function per action, one module per part of the cycle.

Each service takes keyword-only arguments, runs in one transaction, locks the row
whose state it changes, checks the action against ``RULES`` (the one table of what
each stage allows, in ``common``), writes a ``CycleEvent`` and either completes or
changes nothing: a refusal raises ``ActionRefused`` (API 409) or ``PermissionRefused``
(API 403) with a message for the user; bad input raises ``ValidationError`` (API 400).

The parts: ``candidates`` (征集 and 初定), ``voting`` (票决), ``projects`` (实施),
``supervision`` (监督, 测评 and 公示) and ``stage_moves`` (the office's stage moves by
name). Import from the module itself, e.g. ``from livelihood.services.voting import vote_open``.
"""
