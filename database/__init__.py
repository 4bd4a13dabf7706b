"""The data layer shared by both apps: SQLAlchemy models, data functions, migrations, demo data.

It knows nothing of Flask requests, channels or the agent. Data functions (`get_…`, `create_…`)
add to the session and never commit: the flows in `automation/` own the transaction.
"""

from database.base import db

__all__ = ["db"]
