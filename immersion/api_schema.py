"""The OpenAPI description's shared parts, apart from api_base: DRF imports that one early."""

from drf_spectacular.openapi import AutoSchema

ERRORS = {
    "400": "Bad input: each field with what to fix.",
    "401": "No token, or one unknown, revoked or expired.",
    "403": "Visible to you, but not yours to change.",
    "404": "Not there, or not visible to you.",
    "409": "Refused by the object's state, or made against an older version.",
    "429": "Too many calls with this token: wait and try again.",
}
ERROR_BODY = {"type": "object", "additionalProperties": True}


class Schema(AutoSchema):
    """Every operation documents the errors every endpoint may give, with their meaning."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_BODY}},
                },
            )
        if self.method in ("GET", "HEAD"):
            responses.setdefault("304", {"description": "Unchanged since the ETag you sent."})
        return responses
