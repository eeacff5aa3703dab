"""Suggestion-handling ledgers (建议办理台账) as the office and stations keep them, built for the tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.imports.ledgers import workbook_bytes

HEADERS = [
    "建议编号",
    "建议标题",
    "建议内容",
    "领衔代表",
    "附议代表",
    "联络站",
    "建议类别",
    "提交日期",
    "交办日期",
    "主办单位",
    "协办单位",
    "沟通联系日期",
    "沟通方式",
    "答复日期",
    "答复类别",
    "答复内容",
    "代表评价",
    "评价日期",
    "再次答复日期",
    "再次答复类别",
    "再次答复内容",
    "再次评价",
    "再次评价日期",
]


def srow(**values) -> dict:
    """One ledger row by header; the defaults make a valid submitted suggestion of 王代表 (station 甲)."""
    base = {"建议标题": "关于优化路口信号灯配时的建议", "领衔代表": "王代表", "提交日期": "2025-03-05"}
    base.update(values)
    return {key: value for key, value in base.items() if value is not None}


def suggestion_upload(rows: list[dict], name="建议办理台账.xlsx", **kwargs) -> SimpleUploadedFile:
    kwargs.setdefault("title", "白沙街道代表建议办理台账（2025年）")
    return SimpleUploadedFile(name, workbook_bytes(rows, headers=kwargs.pop("headers", HEADERS), **kwargs))
