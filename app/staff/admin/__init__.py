"""The managers' pages under /staff/admin: staff, districts, sites, services, absences,
GALOP imports, villages and travel times, undelivered messages, answer templates, Open311 clients (admins only), and
bailiff assistance: offices and their users, kinds of execution, the capacity rule; one
module each (``common``: what they share).

Only supervisors and admins open them (everyone else: the 403 page). Admins change what
the pages show; supervisors read, give districts their officer and stand-in (see
``districts``) and write the answer templates (``answer_templates``). Every change is an
audit entry by the signed-in staff member, channel ``staff``: ``staff_updated``,
``district_updated``, ``district_street_added``/``_removed``, ``site_updated``,
``service_updated``, ``answer_template_added``/``_updated``.
"""

from app.staff.admin import (  # noqa: F401  (they add routes to app.staff.bp)
    absences,
    answer_templates,
    assistance_capacity,
    bailiff_office_users,
    bailiff_offices,
    districts,
    execution_kinds,
    galop,
    messages,
    open311_clients,
    personnel,
    services,
    sites,
    villages,
)
