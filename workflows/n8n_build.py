"""Write the five n8n workflows (`workflows/*.json`) from one description.

    python -m workflows.n8n_build          # after a change here; tests check the files match

Every workflow started by a desk webhook checks `X-Desk-Signature` first: the Webhook node
keeps the raw body (turned into text by an Extract From File node, since expressions never
see binary data), a Crypto node computes HMAC-SHA256("<t>.<raw body>") with the
subscription's secret (an n8n Crypto credential), and an IF node lets the event through only
when the signatures match and `t` is within five minutes; anything else gets 401 and no
action. Credentials are named, never included: n8n links them by name when a workflow is
imported (docs/n8n.md lists them). Addresses and people are in each workflow's "Settings"
node, to edit after import.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMESPACE = uuid.UUID("5b0d7a52-8a9c-4d1e-9c53-6f1e2d3c4b5a")

DESK_API = "Desk API key"      # httpHeaderAuth: Authorization = Bearer sk_desk_…
SMTP = "Desk SMTP"             # smtp: the shop's mail server
SIGNATURE = "($('Desk event').item.json.headers['x-desk-signature'] || 't=0,v1=')"
EVENT = "$('Desk event').item.json.body"


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


class Flow:
    """A workflow being described: nodes in order, and their connections."""

    def __init__(self, key: str, name: str) -> None:
        self.key = key
        self.name = name
        self.nodes: list[dict[str, Any]] = []
        self.connections: dict[str, Any] = {}
        self.x = 0

    def node(self, name: str, kind: str, version: float, parameters: dict[str, Any], *,
             credentials: dict[str, str] | None = None, after: str | None = None,
             output: int = 0, y: int = 0, **extra: Any) -> str:
        self.x += 240
        node = {"parameters": parameters, "id": _id(self.key, name), "name": name,
                "type": kind, "typeVersion": version, "position": [self.x, y], **extra}
        if credentials:
            # A name, not an id: n8n finds the credential of that name and type on import.
            node["credentials"] = credentials
        self.nodes.append(node)
        if after is not None:
            self.link(after, name, output=output)
        return name

    def link(self, source: str, target: str, *, output: int = 0) -> None:
        outputs = self.connections.setdefault(source, {"main": []})["main"]
        while len(outputs) <= output:
            outputs.append([])
        outputs[output].append({"node": target, "type": "main", "index": 0})

    def document(self, description: str) -> dict[str, Any]:
        return {"id": _id(self.key)[:16].replace("-", "x"), "name": self.name,
                "nodes": self.nodes, "connections": self.connections, "active": False,
                "settings": {"executionOrder": "v1", "timezone": "UTC",
                             "saveDataErrorExecution": "all",
                             "saveDataSuccessExecution": "all"},
                "pinData": {}, "meta": {"templateCredsSetupCompleted": False,
                                        "description": description},
                "tags": []}


def _condition(key: str, left: str, operation: str, right: Any, kind: str = "string"
               ) -> dict[str, Any]:
    condition: dict[str, Any] = {"id": _id("condition", key), "leftValue": left,
                                 "rightValue": right,
                                 "operator": {"type": kind, "operation": operation}}
    if operation in ("true", "false", "empty", "notEmpty", "exists", "notExists"):
        condition["operator"]["singleValue"] = True
    return condition


def _if(conditions: list[dict[str, Any]], combinator: str = "and") -> dict[str, Any]:
    return {"conditions": {"options": {"caseSensitive": True, "leftValue": "",
                                       "typeValidation": "loose", "version": 2},
                           "conditions": conditions, "combinator": combinator},
            "options": {}}


def _settings(values: dict[str, Any]) -> dict[str, Any]:
    return {"assignments": {"assignments": [
        {"id": _id("setting", name), "name": name, "value": value,
         "type": "number" if isinstance(value, (int, float)) else "string"}
        for name, value in values.items()]}, "options": {}}


def _respond(code: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"respondWith": "json", "responseBody": json.dumps(body),
            "options": {"responseCode": code}}


def _desk_call(method: str, url: str, body: str | None = None) -> dict[str, Any]:
    parameters: dict[str, Any] = {"method": method, "url": url,
                                  "authentication": "genericCredentialType",
                                  "genericAuthType": "httpHeaderAuth",
                                  "options": {"timeout": 15000}}
    if body is not None:
        parameters.update(sendBody=True, specifyBody="json", jsonBody=body)
    return parameters


def verified_start(flow: Flow, *, path: str, kind: str, respond_first: bool) -> str:
    """Add the webhook, the signature check and the event filter; return the last node.

    With `respond_first` the desk gets its 200 as soon as the event is verified (workflows
    that wait hours); otherwise the last node of the workflow answers, so that a failure
    answers 500 and the desk tries the delivery again.
    """
    flow.node("Desk event", "n8n-nodes-base.webhook", 2.1,
              {"httpMethod": "POST", "path": path, "responseMode": "responseNode",
               "options": {"rawBody": True}}, webhookId=_id(flow.key, "webhook"))
    # Expressions never see binary data: the raw body becomes text first, byte for byte.
    flow.node("Raw body", "n8n-nodes-base.extractFromFile", 1.1,
              {"operation": "text", "binaryPropertyName": "data", "destinationKey": "raw_body",
               "options": {"encoding": "utf8", "stripBOM": False, "keepSource": "json"}},
              after="Desk event")
    flow.node("Compute signature", "n8n-nodes-base.crypto", 2,
              {"action": "hmac", "type": "SHA256",
               "value": "={{ ($json.headers['x-desk-signature'] || 't=0,v1=')"
                        ".split(',')[0].slice(2) }}.{{ $json.raw_body }}",
               "dataPropertyName": "expected_signature", "encoding": "hex"},
              credentials={"crypto": f"Desk signing secret: {kind}"}, after="Raw body")
    flow.node("Signature valid?", "n8n-nodes-base.if", 2.2, _if([
        _condition("same", "={{ $json.expected_signature }}", "equals",
                   "={{ " + SIGNATURE + ".split(',')[1].slice(3) }}"),
        _condition("fresh", "={{ Math.abs($now.toSeconds() - Number(" + SIGNATURE
                   + ".split(',')[0].slice(2))) }}", "lt", 300, "number"),
        _condition("kind", f"={{{{ {EVENT}.event }}}}", "equals", kind),
    ]), after="Compute signature")
    flow.node("Refuse", "n8n-nodes-base.respondToWebhook", 1.1,
              _respond(401, {"error": {"code": "invalid_signature",
                                       "message": "X-Desk-Signature does not match"}}),
              after="Signature valid?", output=1, y=200)
    if respond_first:
        return flow.node("Accept", "n8n-nodes-base.respondToWebhook", 1.1,
                         _respond(200, {"ok": True}), after="Signature valid?")
    return "Signature valid?"


def _message_node(flow: Flow, name: str, *, after: str, output: int = 0,
                  conversation: str, texts: dict[str, str], y: int = 0) -> str:
    """Post a message to the shopper's conversation; on failure, email them instead."""
    choose = "{" + ", ".join(f"{lang}: {json.dumps(text)}" for lang, text in texts.items()) \
        + "}"
    flow.node(f"{name} text", "n8n-nodes-base.set", 3.4, _settings({
        "text": "={{ (" + choose + ")[" + EVENT + ".data.customer.language] || ("
                + choose + ").en }}"}), after=after, output=output, y=y)
    flow.node(name, "n8n-nodes-base.httpRequest", 4.2, _desk_call(
        "POST", "={{ $('Settings').item.json.admin_url }}/api/conversations/"
                "{{ " + conversation + " }}/messages",
        '={{ JSON.stringify({"body": $json.text}) }}'),
        credentials={"httpHeaderAuth": DESK_API}, after=f"{name} text", y=y,
        onError="continueErrorOutput")
    flow.node(f"{name} by email", "n8n-nodes-base.emailSend", 2.1, {
        "fromEmail": "={{ $('Settings').item.json.from_email }}",
        "toEmail": "={{ " + EVENT + ".data.customer.email }}",
        "subject": "={{ $('Settings').item.json.shop_name }}",
        "emailFormat": "text", "text": f"={{{{ $('{name} text').item.json.text }}}}",
        "options": {}}, credentials={"smtp": SMTP}, after=name, output=1, y=y + 200)
    return name


def sla_escalation() -> Flow:
    flow = Flow("sla-escalation", "Desk: SLA breach escalation")
    last = verified_start(flow, path="desk-sla-breached", kind="sla.breached",
                          respond_first=False)
    flow.node("Settings", "n8n-nodes-base.set", 3.4, _settings({
        "desk_url": "http://127.0.0.1:5000", "supervisor_email": "supervisor@demo.shop",
        "from_email": "desk-automations@demo.shop"}), after=last)
    ticket = EVENT + ".data.ticket"
    flow.node("Raise to urgent", "n8n-nodes-base.httpRequest", 4.2, _desk_call(
        "PATCH", "={{ $('Settings').item.json.desk_url }}/api/tickets/{{ " + ticket
                 + ".reference }}",
        '={{ JSON.stringify({"priority": "urgent", "note": "SLA breached ("'
        ' + Math.round((' + EVENT + '.data.overdue_s || 0) / 60) + " min late): escalated'
        ' to the supervisor by n8n."}) }}'),
        credentials={"httpHeaderAuth": DESK_API}, after="Settings")
    flow.node("Email the supervisor", "n8n-nodes-base.emailSend", 2.1, {
        "fromEmail": "={{ $('Settings').item.json.from_email }}",
        "toEmail": "={{ $('Settings').item.json.supervisor_email }}",
        "subject": "=SLA breached: {{ " + ticket + ".reference }} — {{ " + ticket
                   + ".title }}",
        "emailFormat": "text",
        "text": "=Ticket {{ " + ticket + ".reference }} went past its due time ({{ " + ticket
                + ".sla_due }}) and is now urgent.\n\nShopper: {{ " + ticket
                + ".customer.name }} <{{ " + ticket + ".customer.email }}>\nCategory: {{ "
                + ticket + ".category }}\nAssignee: {{ " + ticket
                + ".assignee ? " + ticket + ".assignee.email : 'nobody' }}\nConversation: "
                "{{ " + ticket + ".conversation_url || '—' }}\nNotion: {{ " + ticket
                + ".notion_url || '—' }}\n",
        "options": {}}, credentials={"smtp": SMTP}, after="Raise to urgent")
    flow.node("Done", "n8n-nodes-base.respondToWebhook", 1.1, _respond(200, {"ok": True}),
              after="Email the supervisor")
    return flow


def resolved_follow_up() -> Flow:
    flow = Flow("ticket-resolved-follow-up", "Desk: follow-up after a ticket is resolved")
    last = verified_start(flow, path="desk-ticket-resolved", kind="ticket.resolved",
                          respond_first=True)
    flow.node("Settings", "n8n-nodes-base.set", 3.4, _settings({
        "desk_url": "http://127.0.0.1:5000", "admin_url": "http://127.0.0.1:5001",
        "wait_hours": 24, "from_email": "support@demo.shop", "shop_name": "Demo Shop"}),
        after=last)
    flow.node("Wait a day", "n8n-nodes-base.wait", 1.1, {
        "amount": "={{ $json.wait_hours }}", "unit": "hours"},
        after="Settings", webhookId=_id(flow.key, "wait"))
    ticket = EVENT + ".data.ticket"
    flow.node("Ticket now", "n8n-nodes-base.httpRequest", 4.2, _desk_call(
        "GET", "={{ $('Settings').item.json.desk_url }}/api/tickets/{{ " + ticket
               + ".reference }}"), credentials={"httpHeaderAuth": DESK_API},
        after="Wait a day")
    flow.node("Still resolved?", "n8n-nodes-base.if", 2.2, _if([
        _condition("resolved", "={{ $json.ticket.status }}", "equals", "resolved"),
        _condition("conversation", "={{ $json.ticket.conversation_id }}", "exists", "",
                   "number")]), after="Ticket now")
    _message_node(flow, "Ask if it is solved", after="Still resolved?",
                  conversation="$('Ticket now').item.json.ticket.conversation_id", texts={
                      "en": "Hello! Yesterday we closed your request as resolved. Is "
                            "everything in order now? If not, just reply here and we will "
                            "pick it up again.",
                      "fr": "Bonjour ! Hier, nous avons clos votre demande comme résolue. "
                            "Tout est-il rentré dans l'ordre ? Sinon, répondez simplement "
                            "ici et nous la reprendrons.",
                      "pt": "Olá! Ontem fechámos o seu pedido como resolvido. Está tudo em "
                            "ordem? Se não estiver, basta responder aqui e voltamos a ele."})
    return flow


def csat_reminder() -> Flow:
    flow = Flow("csat-reminder", "Desk: CSAT reminder after 24 h without a rating")
    last = verified_start(flow, path="desk-conversation-closed", kind="conversation.closed",
                          respond_first=True)
    flow.node("Settings", "n8n-nodes-base.set", 3.4, _settings({
        "admin_url": "http://127.0.0.1:5001", "wait_hours": 24,
        "from_email": "support@demo.shop", "shop_name": "Demo Shop"}), after=last)
    flow.node("Wait a day", "n8n-nodes-base.wait", 1.1, {
        "amount": "={{ $json.wait_hours }}", "unit": "hours"},
        after="Settings", webhookId=_id(flow.key, "wait"))
    conversation = EVENT + ".data.conversation.id"
    flow.node("Conversation now", "n8n-nodes-base.httpRequest", 4.2, _desk_call(
        "GET", "={{ $('Settings').item.json.admin_url }}/api/conversations/{{ "
               + conversation + " }}"), credentials={"httpHeaderAuth": DESK_API},
        after="Wait a day")
    rating = ("={{ ($json.conversation || $json).rating ?? (($json.conversation || $json)"
              ".csat || {}).rating ?? ($json.csat || {}).rating ?? '' }}")
    flow.node("Still not rated?", "n8n-nodes-base.if", 2.2, _if([
        _condition("unrated", rating, "empty", "")]), after="Conversation now")
    _message_node(flow, "Ask for a rating", after="Still not rated?", conversation=conversation,
                  texts={
                      "en": "Hello! How did we do yesterday? A rating from 1 to 5 in our "
                            "chat helps us a lot. Thank you!",
                      "fr": "Bonjour ! Comment nous sommes-nous débrouillés hier ? Une note "
                            "de 1 à 5 dans notre chat nous aide beaucoup. Merci !",
                      "pt": "Olá! Como correu ontem? Uma avaliação de 1 a 5 no nosso chat "
                            "ajuda-nos muito. Obrigado!"})
    return flow


def abandoned_conversation() -> Flow:
    flow = Flow("abandoned-conversation", "Desk: one nudge for a shopper left waiting")
    last = verified_start(flow, path="desk-handoff-requested", kind="handoff.requested",
                          respond_first=True)
    flow.node("Settings", "n8n-nodes-base.set", 3.4, _settings({
        "admin_url": "http://127.0.0.1:5001", "quiet_minutes": 15,
        "from_email": "support@demo.shop", "shop_name": "Demo Shop"}), after=last)
    flow.node("Wait a while", "n8n-nodes-base.wait", 1.1, {
        "amount": "={{ $json.quiet_minutes }}", "unit": "minutes"},
        after="Settings", webhookId=_id(flow.key, "wait"))
    conversation = EVENT + ".data.conversation.id"
    flow.node("Conversation now", "n8n-nodes-base.httpRequest", 4.2, _desk_call(
        "GET", "={{ $('Settings').item.json.admin_url }}/api/conversations/{{ "
               + conversation + " }}"), credentials={"httpHeaderAuth": DESK_API},
        after="Wait a while")
    found = "($json.conversation || $json)"
    last_message = ("(" + found + ".last_message || (" + found + ".messages || [])"
                    ".filter(m => !m.private).slice(-1)[0] || {})")
    flow.node("Waiting and quiet?", "n8n-nodes-base.if", 2.2, _if([
        _condition("waiting", "={{ " + found + ".status }}", "equals", "waiting"),
        _condition("quiet", "={{ ($now.toMillis() - new Date(" + last_message + ".at || "
                   + last_message + ".created_at || 0).getTime()) / 60000 }}", "gte",
                   "={{ $('Settings').item.json.quiet_minutes }}", "number"),
    ]), after="Conversation now")
    _message_node(flow, "Nudge the shopper", after="Waiting and quiet?",
                  conversation=conversation, texts={
                      "en": "We have not forgotten you: a member of our team will be with you "
                            "shortly. Are you still there? Just reply to keep your place.",
                      "fr": "Nous ne vous oublions pas : un membre de notre équipe arrive "
                            "bientôt. Êtes-vous toujours là ? Répondez simplement pour garder "
                            "votre place.",
                      "pt": "Não nos esquecemos de si: alguém da nossa equipa estará consigo "
                            "em breve. Ainda está aí? Basta responder para manter o seu "
                            "lugar."})
    return flow


def daily_digest() -> Flow:
    flow = Flow("daily-digest", "Desk: daily digest for the support lead")
    flow.node("Every morning", "n8n-nodes-base.scheduleTrigger", 1.2, {
        "rule": {"interval": [{"field": "cronExpression", "expression": "0 8 * * *"}]}})
    flow.node("Settings", "n8n-nodes-base.set", 3.4, _settings({
        "desk_url": "http://127.0.0.1:5000", "lead_email": "supervisor@demo.shop",
        "from_email": "desk-automations@demo.shop"}), after="Every morning")
    flow.node("Digest", "n8n-nodes-base.httpRequest", 4.2, _desk_call(
        "GET", "={{ $json.desk_url }}/api/reports/digest?hours=24"),
        credentials={"httpHeaderAuth": DESK_API}, after="Settings")
    rows = {
        "worst": "($json.worst_rated.map(r => '- ' + r.rating + '/5, ' + r.customer.name + "
                 "' (' + r.channel + '): \"' + r.last_question + '\" ' + r.url).join('\\n') "
                 "|| 'none')",
        "weak": "($json.lowest_quality.map(r => '- quality ' + r.quality + ': \"' + "
                "r.question + '\" → \"' + r.reply + '\" ' + r.url).join('\\n') || 'none')",
        "urgent": "($json.open_urgent.map(t => '- ' + t.reference + ' ' + t.title + ' (' + "
                  "(t.assignee ? t.assignee.email : 'unassigned') + ', due ' + t.sla_due + "
                  "')').join('\\n') || 'none')",
    }
    flow.node("Email the lead", "n8n-nodes-base.emailSend", 2.1, {
        "fromEmail": "={{ $('Settings').item.json.from_email }}",
        "toEmail": "={{ $('Settings').item.json.lead_email }}",
        "subject": "=Support desk, last 24 h: {{ $json.tickets.opened }} tickets opened, "
                   "{{ $json.tickets.open_by_priority.urgent }} urgent open",
        "emailFormat": "text",
        "text": "=Last 24 hours\n"
                "Messages: {{ $json.messages.inbound }} in, {{ $json.messages.outbound }} out\n"
                "Conversations: {{ $json.conversations.started }} started, "
                "{{ $json.conversations.closed }} closed; {{ $json.handoffs }} handed to a "
                "person\n"
                "Tickets: {{ $json.tickets.opened }} opened, {{ $json.tickets.resolved }} "
                "resolved, {{ $json.tickets.sla_breached }} past due\n"
                "CSAT: {{ $json.csat.average ?? '—' }} from {{ $json.csat.count }} ratings\n\n"
                "Worst-rated exchanges:\n{{ " + rows["worst"] + " }}\n\n"
                "AI replies with the lowest quality:\n{{ " + rows["weak"] + " }}\n\n"
                "Open urgent tickets:\n{{ " + rows["urgent"] + " }}\n",
        "options": {}}, credentials={"smtp": SMTP}, after="Digest")
    return flow


WORKFLOWS = {
    "sla-escalation": (sla_escalation, "On sla.breached: the ticket goes urgent through the "
                       "ticket API and the supervisor gets an email."),
    "ticket-resolved-follow-up": (resolved_follow_up, "On ticket.resolved: a day later, if "
                                  "still resolved, the shopper is asked whether all is well."),
    "csat-reminder": (csat_reminder, "On conversation.closed: a day later, without a rating, "
                      "the shopper is asked for one."),
    "abandoned-conversation": (abandoned_conversation, "On handoff.requested: a shopper still "
                               "waiting and quiet after 15 minutes gets one nudge."),
    "daily-digest": (daily_digest, "Every morning at 08:00 UTC: the support lead's digest by "
                     "email."),
}


def documents() -> dict[str, dict[str, Any]]:
    """Return every workflow document, by file name."""
    return {f"{key}.json": build().document(description)
            for key, (build, description) in WORKFLOWS.items()}


def main() -> None:
    for name, document in documents().items():
        (HERE / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote workflows/{name}")


if __name__ == "__main__":
    main()
