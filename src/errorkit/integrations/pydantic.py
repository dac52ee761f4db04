"""A pydantic model of the ``to_dict()`` payload, for services and log pipelines.

``ErrorPayload`` validates an error received as JSON and describes it with
``ErrorPayload.model_json_schema()``; ``from_error`` and ``to_error`` convert
between the model and an errorkit error. Importing this module imports pydantic
(``pip install 'errorkit[pydantic]'``); ``import errorkit`` never does.

To wrap a pydantic ``ValidationError`` raised while parsing an LLM's output, use
``errorkit.ParseError.from_validation_error(provider, exc)``: its
``retry_message()`` is the correction text to send back.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from errorkit.exceptions import Error

__all__ = ["ErrorPayload"]


class ErrorPayload(BaseModel):
    """The JSON payload of an errorkit error, as Error.to_dict() returns it.

    Keys a later errorkit version may add are ignored rather than rejected, so a
    receiver validating with this model keeps working.
    """

    model_config = ConfigDict(title="ErrorPayload")

    code: str = Field(
        min_length=1,
        description="Stable machine-readable code, UPPER_SNAKE for errorkit's own classes.",
        examples=["RATE_LIMITED"],
    )
    message: str = Field(
        description="Human and agent readable text, secrets masked.",
        examples=["Rate limit exceeded. Retry after 30 seconds."],
    )
    details: dict[str, Any] = Field(
        description="Structured context: JSON-safe values, secrets masked, long strings cut.",
        examples=[{"status_code": 429, "retry_after": 30.0}],
    )
    attempts: list[list[Any]] | None = Field(
        default=None,
        description="RegionProbeError only: [region, status_code, error_body] per probe.",
    )

    @classmethod
    def from_error(cls, error: Error) -> ErrorPayload:
        """Build the payload of an errorkit error (its ``to_dict()``)."""
        return cls.model_validate(error.to_dict())

    def to_error(self) -> Error:
        """Rebuild the most specific errorkit error for this payload (``Error.from_dict``)."""
        payload: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "details": self.details,
        }
        if self.attempts is not None:
            payload["attempts"] = self.attempts
        return Error.from_dict(payload)
