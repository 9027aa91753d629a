"""Every list the API answers with personal data is on the record (issue 14, point 2).

`AuditedList` goes first in the bases of a personal-data viewset. After a list action
(`list`, and any collection action named in `audited_actions`) has built its answer, it
writes ONE audit row naming the records of the page actually returned, in their order,
read from the answer itself (`audit_id_key` of each row: no query, one INSERT), with the
purpose the client stated in `X-Purpose`, else the endpoint (`api GET /api/people/`). An
empty page writes its row too, with no ids. An action whose selector already wrote the
row of this request (the people search, `?q=`) sets `self.list_audited = True`.

`onehome/access/tests/test_read_audit.py` calls every personal-data list route found in
the URL map, so a new list route without this mixin fails there.
"""

from collections.abc import Mapping

from onehome.access import audit


class AuditedList:
    audited_actions: frozenset[str] = frozenset({"list"})
    audit_object_type: str = ""  # default: the serializer's model ("registry.person")
    audit_id_key: str = "id"
    list_audited: bool = False

    def audit_kind(self) -> str:
        if self.audit_object_type:
            return self.audit_object_type
        return self.get_serializer_class().Meta.model._meta.label_lower

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            getattr(self, "action", None) in self.audited_actions
            and 200 <= response.status_code < 300
            and not self.list_audited
        ):
            data = response.data
            rows = data.get("results", []) if isinstance(data, Mapping) else data
            audit.record_list(
                actor=request.user,
                object_type=self.audit_kind(),
                ids=[row[self.audit_id_key] for row in rows],
                purpose=audit.current_purpose(f"api {request.method} {request.path}"),
            )
        return response
