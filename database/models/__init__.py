"""SQLAlchemy 2 typed models of the desk, one file per part of the domain."""

from database.models.api_keys import ApiKey
from database.models.catalog import Order, Product
from database.models.conversations import Conversation, Message
from database.models.customers import Customer
from database.models.desk import CannedReply, Setting
from database.models.events import Event
from database.models.integrations import (NotionPage, OutboxCursor, WebhookDelivery,
                                          WebhookSubscription)
from database.models.knowledge import KnowledgeArticle
from database.models.metrics import MetricDay, MetricHour
from database.models.privacy import Archive
from database.models.staff import StaffUser
from database.models.system import Heartbeat
from database.models.tickets import Ticket

__all__ = ["ApiKey", "Archive", "CannedReply", "Conversation", "Customer", "Event", "Heartbeat",
           "KnowledgeArticle", "Message", "MetricDay", "MetricHour", "NotionPage", "Order",
           "OutboxCursor", "Product", "Setting", "StaffUser",
           "Ticket", "WebhookDelivery", "WebhookSubscription"]
