"""Why a URL did not land: reason code -> the words an auditor reads (the fetch log's ``reason`` adds the detail)."""

from __future__ import annotations

FETCH_REASONS: dict[str, str] = {
    "not_found": "网址不存在（HTTP 404/410）",
    "http_error": "服务器返回错误状态",
    "server_error": "服务器错误，重试后仍失败",
    "rate_limited": "服务器要求降低访问频率，重试后仍失败",
    "timeout": "连接或读取超时，重试后仍失败",
    "connection": "无法连接服务器，重试后仍失败",
    "protocol": "响应不符合 HTTP 协议",
    "too_many_redirects": "重定向次数过多",
    "too_large": "文件超过大小上限，未下载完",
    "empty": "服务器返回空内容",
    "html_instead_of_file": "链接应为文件，返回的却是网页（验证码、错误或登录页）",
    "blocked_page": "返回的是验证码、登录、拦截或错误页面，不是报告",
    "bad_url": "网址无效",
}


def reason_text(code: str, detail: str = "") -> str:
    """The auditor's words for ``code``, with the detail."""
    label = FETCH_REASONS[code]
    return f"{label}：{detail}" if detail else label
