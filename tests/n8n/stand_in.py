"""A stand-in for the admin app's conversation API (API.md: `GET /api/conversations/<id>`,
`POST /api/conversations/<id>/messages`), answered from the desk's database, for
`make n8n-test` on a desk whose admin app does not serve it yet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ConversationStandIn:
    """`GET /api/conversations/<id>` and `POST …/messages` as API.md describes them, read from
    and written to the desk's database, for a desk whose admin app lacks them."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.posted: list[tuple[int, dict[str, Any]]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                found = stand_in.conversation(self.path)
                self._answer(200 if found else 404, found or {"error": {"code": "not_found"}})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                conversation_id = int(self.path.split("/")[3])
                found = stand_in.conversation(f"/{conversation_id}")
                if found is None or found["conversation"]["status"] == "closed":
                    # As the desk: nobody writes in a closed conversation (email instead).
                    self._answer(409, {"error": {"code": "conflict",
                                                 "message": "the conversation is closed"}})
                    return
                stand_in.posted.append((conversation_id, body))
                self._answer(201, {"message": {"id": len(stand_in.posted),
                                               "delivery": "sent"}})

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def conversation(self, path: str) -> dict[str, Any] | None:
        from database import db
        from database.models import Conversation, Message

        with self.app.app_context():
            row = db.session.get(Conversation, int(path.rstrip("/").split("/")[-1]))
            if row is None:
                return None
            last = db.session.query(Message).filter_by(conversation_id=row.id) \
                .order_by(Message.id.desc()).first()
            return {"conversation": {
                "id": row.id, "status": row.status, "channel": row.channel,
                "language": row.language, "rating": row.rating,
                "customer": {"name": row.customer.full_name, "email": row.customer.email},
                "last_message": {"body": last.body, "sender": last.sender,
                                 "at": last.created_at.isoformat()} if last else None}}
