"""What to do about each error: the advice ``python -m errorkit explain`` and the code page give.

One entry per class, under the class's own code (a class's other codes share it), in tree
order; the text is Markdown, as ``docs/codes.md`` prints it. A class docstring says what the
error is; this table says what to do about it, and a test keeps it in step with the classes.
"""

REMEDIES = {
    "UNKNOWN_ERROR": "Read `code` and `details`; catch a narrower class when you can act on it.",
    "CONFIG_ERROR": (
        "Fix the configuration file or environment named in the message, then run again."
    ),
    "ACCOUNT_NOT_FOUND": "Use one of `available_accounts`, or add the account first.",
    "ACCOUNT_EXISTS": "Pick another name, or remove the existing account first.",
    "ACCOUNT_IN_USE": "Remove or repoint the targets in `referenced_by`, or pass `force=True`.",
    "INVALID_ARGUMENT": (
        "Drop one of the conflicting arguments named by `violation`; retrying the same call "
        "fails again."
    ),
    "PROJECT_NOT_FOUND": "Use one of `available_projects`, or ask for access to the project.",
    "MISSING_API_KEY": "Export the environment variable named by `env_var` and run again.",
    "NO_REGISTERED_PROVIDER": (
        "Register a provider for the model's prefix, or correct the model id."
    ),
    "API_ERROR": (
        "Inspect `status_code` and `response_body`; retry only when `retryable` is true, after "
        "`retry_after` seconds when the server sent one."
    ),
    "BAD_REQUEST": (
        "Fix the request using the message and `response_body`; do not retry it unchanged."
    ),
    "QUERY_FAILED": "Correct the query parameters the message points at, then run the query again.",
    "JQL_SYNTAX_ERROR": (
        "Fix the script at `line_info` (see `error_type` and `error_message`), then rerun."
    ),
    "AUTH_FAILED": "Check or refresh the credentials; retrying with the same ones fails again.",
    "PERMISSION_DENIED": "Ask for the missing permission or use credentials that have it.",
    "NOT_FOUND": "Check the identifier in the request URL; the resource may have been deleted.",
    "CONFLICT": (
        "Fetch the resource again, reconcile the change (a version, an ETag, a duplicate key), "
        "then send it again; repeating it unchanged conflicts again."
    ),
    "RATE_LIMITED": (
        "Wait `retry_after` seconds (back off when it is None), then retry; "
        "`rate_limit_form_url` requests a higher limit."
    ),
    "SERVER_ERROR": "Retry with backoff; if it persists, report the `request_id` to the provider.",
    "SESSION_REPLAY_ERROR": "Read `details` for the replay context; the subclass says what failed.",
    "SESSION_REPLAY_ACCESS_ERROR": (
        "Ask the project owner for the `sensitive_data_replay` permission, or use a service "
        "account that has it."
    ),
    "SIGNED_URL_EXPIRED": (
        "Re-sign with `sign_replay` and fetch again, or keep `re_sign_on_expiry=True`."
    ),
    "REPLAY_NOT_FOUND": (
        "Check the replay id and the project's retention window; an aged-out replay cannot be "
        "recovered."
    ),
    "CONNECTION_ERROR": "Check network access to the host, then retry with backoff.",
    "TIMEOUT": "Retry with backoff, or raise the client timeout for slow endpoints.",
    "OAUTH_TOKEN_ERROR": (
        "Act on `code`: log in again for a revoked refresh token, free a port, or open the URL "
        "by hand."
    ),
    "OAUTH_REGION_PROBE_FAILED": (
        "Check the credential and the region list in `attempts`; log in again with a valid "
        "credential."
    ),
    "OAUTH_NETWORK_UNREACHABLE": "Check the network connection (DNS, proxy, TLS) and try again.",
    "NO_WORKSPACES": "Pass the workspace or organization id explicitly, choosing from `details`.",
    "BUSINESS_CONTEXT_TOO_LONG": "Shorten the text to at most 50,000 characters and send it again.",
    "CONNECTOR_ERROR": "Read `provider` and the message; its directive says whether to retry.",
    "PROVIDER_UNAUTHORIZED": (
        "Set the environment variable named by `env_var` (and export it); do not retry with "
        "other arguments."
    ),
    "PAYMENT_REQUIRED": (
        "Use a different connector or tell the user the plan lacks this data; do not retry."
    ),
    "PROVIDER_RATE_LIMITED": (
        "Do not retry this tool immediately: pick another connector, ask the user, or stop "
        "(quota errors clear only next billing cycle)."
    ),
    "PROVIDER_ERROR": (
        "Follow the message's directive: pick another connector for timeouts and 5xx, change "
        "the parameters for other 4xx."
    ),
    "EMPTY_DATA": "Adjust the parameters in `query_params` or try a different connector.",
    "PARSE_ERROR": (
        "Do not retry; report the schema drift, or send `retry_message()` back to the LLM that "
        "produced the output."
    ),
    "INVALID_PARAMETER": "Fix the argument the message names before calling again.",
    "CATALOG_NOT_FOUND": (
        "Check the catalog location in the message; do not retry the same location."
    ),
    "TOOL_ERROR": "Read the message; the subclass says whether the tool or its lookup failed.",
    "TOOL_EXECUTION_ERROR": (
        "Inspect `tool_exception` (and its traceback through `__cause__`) and fix the tool or "
        "its input."
    ),
    "TOOL_NOT_FOUND": "Register the tool named by `tool_name`, or correct the tool call.",
    "FEATURE_NOT_SUPPORTED": (
        "Use a provider or model that supports the feature, or drop the feature from the call."
    ),
}
