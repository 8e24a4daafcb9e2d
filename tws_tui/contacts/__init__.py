"""Local contacts: the data layer behind the Contacts screen (no UI here).

* :mod:`.text` — ``fold`` (case and accents away) and ``words``, shared with the simulator;
* :mod:`.rules` — what a contact and a contact list must be, and every message a refused
  change gives;
* :mod:`.store` — ``ContactStore``: private and public contacts and contact lists in SQLite;
* :mod:`.exchange` — CSV and vCard import/export (:mod:`.csv_files`, :mod:`.vcard_files`,
  :mod:`.vcard_fields`, :mod:`.vcard_text`, :mod:`.import_report`);
* :mod:`.search` — ``SearchIndex``: search-as-you-type over 100 000 contacts;
* :mod:`.directories` — ``Directories``: the backend's directory and the local one as one
  ``Directory``.

Nothing is imported here, so that importing :mod:`.text` costs no SQLite, no ``phonenumbers``
and no ``charset-normalizer``.
"""
