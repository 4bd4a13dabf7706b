"""Retention and privacy (GDPR, LGPD): conversations archived then erased on schedule
(retention.py), and a shopper's data exported (export.py) or erased (erase.py) on request.

Every action is audited as an event whose payload names the shopper by id and fingerprint only
(records.fingerprint), never by their data.
"""
