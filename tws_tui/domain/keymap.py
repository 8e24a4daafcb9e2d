"""The one table of user actions: stable dotted ids, default keys, descriptions, where they live.

Everything keyboard-related is derived from :data:`ACTIONS`: the ``BINDINGS`` of the app and of
each screen, the help screen (F1), the command palette and the validation of the user's
``[keymap]`` section. An action's id never changes once released: user keymaps refer to it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from tws_tui.core.values import value_class
from tws_tui.platform.i18n import N_, _


@value_class
class ActionSpec:
    id: str
    keys: str  # default keys, comma-separated Textual key names
    action: str  # Textual action string, run on the app or on the screen
    description: str  # English msgid, translated where shown
    scope: str = "app"  # "app" or a screen name ("contacts", "call", ...)
    show: bool = True  # shown in the footer
    priority: bool = False
    palette: bool = True  # offered in the command palette


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("app.help", "f1", "help", N_("Help"), priority=True),
    # TWS-1.8-1: About (also Tools → A), from any screen and the command palette.
    ActionSpec("app.about", "shift+f1", "about", N_("About"), show=False, priority=True),
    ActionSpec(
        "app.palette",
        "ctrl+p",
        "command_palette",
        N_("Commands"),
        show=False,
        priority=True,
        palette=False,
    ),
    ActionSpec("app.quit", "ctrl+q", "request_quit", N_("Quit"), show=False, priority=True),
    # Enter answers only where it means nothing else (a dialog, a chooser, the parked or the
    # waiting list, a typed name keep their Enter); F12 answers whatever has the focus.
    ActionSpec("call.answer", "enter", "answer_ringing", N_("Answer"), priority=True),
    ActionSpec("call.answer_any", "f12", "answer_any", N_("Answer from anywhere"), priority=True),
    ActionSpec("dial.focus", "f2,slash", "focus_dial", N_("Dial"), show=False, priority=True),
    ActionSpec("call.make", "f3", "call_target", N_("Call"), priority=True),
    ActionSpec("call.blind_transfer", "f4", "blind_transfer", N_("Transfer"), priority=True),
    ActionSpec("call.consult", "f5", "consult", N_("Consult"), priority=True),
    ActionSpec("call.conference", "f6", "conference", N_("3-way"), show=False, priority=True),
    ActionSpec("call.hold", "f7", "hold_toggle", N_("Hold"), priority=True),
    ActionSpec("call.hangup", "f8", "hangup", N_("Hang up"), priority=True),
    ActionSpec(
        "call.end", "shift+f8", "end_call", N_("End for everyone"), show=False, priority=True
    ),
    ActionSpec(
        "call.drop_participant",
        "alt+x",
        "drop_participant",
        N_("Drop a 3-way participant"),
        show=False,
        priority=True,
    ),
    ActionSpec("call.park", "f9", "park", N_("Park"), priority=True),
    ActionSpec(
        "call.alternate", "f10,alt+a", "alternate", N_("Alternate"), show=False, priority=True
    ),
    ActionSpec("call.refuse", "alt+r", "refuse", N_("Refuse"), show=False, priority=True),
    ActionSpec("call.deflect", "alt+d", "deflect", N_("Deflect"), show=False, priority=True),
    ActionSpec(
        "call.pickup", "alt+i", "pickup", N_("Pick up colleague's call"), show=False, priority=True
    ),
    ActionSpec("call.mute", "alt+m", "mute_toggle", N_("Mute"), show=False, priority=True),
    ActionSpec("call.record", "alt+e", "record_toggle", N_("Record"), show=False, priority=True),
    ActionSpec(
        "call.hands_free", "alt+s", "hands_free_toggle", N_("Hands-free"), show=False, priority=True
    ),
    ActionSpec("call.comment", "alt+c", "comment", N_("Comment"), show=False, priority=True),
    ActionSpec(
        "call.take_message",
        "alt+t",
        "take_message",
        N_("Take a message"),
        show=False,
        priority=True,
    ),
    ActionSpec("sms.new", "alt+y", "new_sms", N_("New SMS"), show=False, priority=True),
    # Issue 15: write to the person on the call (a colleague: chat; else SMS or a slip), and
    # the conversation of the last message noticed.
    ActionSpec(
        "call.message",
        "alt+shift+w",
        "message_caller",
        N_("Message the caller"),
        show=False,
        priority=True,
    ),
    ActionSpec(
        "chat.open_notice",
        "alt+shift+m",
        "open_chat_notice",
        N_("Open the last message noticed"),
        show=False,
        priority=True,
    ),
    # TWS-4.4: assistance requests — ask, "I'm on it", take mine back.
    ActionSpec(
        "assist.ask", "alt+shift+h", "ask_assist", N_("Ask for help"), show=False, priority=True
    ),
    ActionSpec(
        "assist.take", "alt+shift+o", "take_assist", N_("I'm on it"), show=False, priority=True
    ),
    ActionSpec(
        "assist.cancel",
        "alt+shift+c",
        "cancel_assist",
        N_("Cancel my help request"),
        show=False,
        priority=True,
    ),
    # TWS-4.1.1: my ME log — missed calls, voice messages, messages to me, help requests and
    # broadcasts (the id kept: it was the log of the last two only).
    ActionSpec(
        "assist.log",
        "alt+shift+l",
        "open_assist_log",
        N_("My log (ME)"),
        show=False,
        priority=True,
    ),
    # TWP-4.1: one notification to several colleagues, groups or everyone at once.
    ActionSpec(
        "broadcast.send",
        "alt+shift+b",
        "send_broadcast",
        N_("Broadcast to colleagues"),
        show=False,
        priority=True,
    ),
    ActionSpec("call.voicemail", "alt+v", "voicemail", N_("Voicemail"), show=False, priority=True),
    # TWP-4.1.2: a contact's event log — the name found in the dial field, the selected
    # contact, the open conversation or the call I talk on (console/contact_log_keys.py).
    ActionSpec(
        "contact.log",
        "alt+shift+e",
        "open_contact_log",
        N_("Contact's event log"),
        show=False,
        priority=True,
    ),
    ActionSpec("log.calls", "ctrl+t", "toggle_calls", N_("Hide/show calls"), scope="contact_log"),
    ActionSpec(
        "log.audience",
        "ctrl+o",
        "switch_audience",
        N_("To the contact or only me"),
        scope="contact_log",
    ),
    ActionSpec("log.delete", "delete", "delete_entry", N_("Delete the entry"), scope="contact_log"),
    ActionSpec(
        "log.call_detail",
        "ctrl+k",
        "call_detail",
        N_("The call's detail and comments"),
        scope="contact_log",
    ),
    ActionSpec(
        "queues.take_oldest",
        "alt+o",
        "take_oldest",
        N_("Take the oldest waiting call"),
        show=False,
        priority=True,
    ),
    ActionSpec(
        "contacts.supervise",
        "ctrl+b",
        "supervise_toggle",
        N_("Supervise/unsupervise"),
        scope="contacts",
    ),
    ActionSpec("contacts.new", "ctrl+n", "new_contact", N_("New contact"), scope="contacts"),
    # Ctrl+E and Ctrl+D are priority: the search field (an Input) would take them as "end of
    # line" and "delete", and a receptionist types a name, then edits what it found.
    ActionSpec(
        "contacts.edit",
        "ctrl+e",
        "edit_contact",
        N_("Edit the contact"),
        scope="contacts",
        priority=True,
    ),
    ActionSpec(
        "contacts.delete",
        "delete",
        "delete_contact",
        N_("Delete the contact"),
        scope="contacts",
        show=False,
    ),
    ActionSpec(
        "contacts.visibility",
        "ctrl+t",
        "toggle_visibility",
        N_("Make public/private"),
        scope="contacts",
        show=False,
    ),
    ActionSpec("contacts.lists", "ctrl+l", "pick_lists", N_("Contact lists…"), scope="contacts"),
    ActionSpec(
        "contacts.fold_list",
        "space",
        "fold_list",
        N_("Fold a list, open a card"),
        scope="contacts",
    ),
    ActionSpec(
        "contacts.activate",
        "enter",
        "activate",
        N_("Call the contact (or open it first)"),
        scope="contacts",
        show=False,
    ),
    ActionSpec(
        "contacts.list_display",
        "ctrl+d",
        "toggle_list_display",
        N_("List drawn classic/reduced"),
        scope="contacts",
        show=False,
        priority=True,
    ),
    ActionSpec("contacts.crm", "ctrl+g", "open_crm", N_("Open in the CRM"), scope="contacts"),
    ActionSpec("contacts.message", "alt+w", "message_colleague", N_("Message"), scope="contacts"),
    ActionSpec(
        "contacts.history",
        "ctrl+y",
        "contact_history",
        N_("Calls with the contact"),
        scope="contacts",
        show=False,
        priority=True,  # typed in the search field too
    ),
    ActionSpec(
        "contacts.card",
        "ctrl+k",
        "business_card",
        N_("Business card…"),
        scope="contacts",
        show=False,
        priority=True,  # the search field would take Ctrl+K as "delete to the end"
    ),
    ActionSpec(
        "contacts.directories",
        "ctrl+f",
        "pick_directories",
        N_("Directories searched…"),
        scope="contacts",
    ),
    ActionSpec(
        "contacts.manager", "ctrl+o", "open_manager", N_("Contact manager"), scope="contacts"
    ),
    ActionSpec(
        "contacts.private_note",
        "alt+shift+n",
        "private_note",
        N_("Note only for me"),
        scope="contacts",
        show=False,
        priority=True,  # typed in the search field too
    ),
    ActionSpec("manager.new", "n", "new_contact", N_("New contact"), scope="manager"),
    ActionSpec("manager.edit", "e,enter", "edit_contact", N_("Edit"), scope="manager"),
    ActionSpec(
        "manager.delete", "delete", "delete_contact", N_("Delete the contact"), scope="manager"
    ),
    ActionSpec(
        "manager.visibility", "p", "toggle_visibility", N_("Public/private"), scope="manager"
    ),
    ActionSpec("manager.lists", "a", "pick_lists", N_("Add to lists…"), scope="manager"),
    ActionSpec(
        "manager.remove", "x", "remove_from_list", N_("Remove from the list"), scope="manager"
    ),
    ActionSpec("manager.new_list", "l", "new_list", N_("New list"), scope="manager"),
    ActionSpec(
        "manager.edit_list", "r", "edit_list", N_("List properties"), scope="manager", show=False
    ),
    ActionSpec(
        "manager.delete_list",
        "d",
        "delete_list",
        N_("Delete the list"),
        scope="manager",
        show=False,
    ),
    ActionSpec("manager.up", "ctrl+up", "move(-1)", N_("Move up"), scope="manager", show=False),
    ActionSpec(
        "manager.down", "ctrl+down", "move(1)", N_("Move down"), scope="manager", show=False
    ),
    ActionSpec("manager.import", "i", "import_contacts", N_("Import…"), scope="manager"),
    ActionSpec("manager.export", "o", "export_contacts", N_("Export…"), scope="manager"),
    ActionSpec(
        "manager.undo_import",
        "u",
        "undo_import",
        N_("Undo the last import"),
        scope="manager",
        show=False,
    ),
    ActionSpec("manager.card", "c", "business_card", N_("Business card…"), scope="manager"),
    ActionSpec(
        "manager.carddav_sync",
        "ctrl+s",
        "carddav_sync",
        N_("Synchronise the CardDAV address book"),
        scope="manager",
        show=False,
    ),
    ActionSpec(
        "manager.add_shared",
        "plus",
        "add_shared_list",
        N_("Add this public list to mine"),
        scope="manager",
    ),
    ActionSpec(
        "manager.filter", "ctrl+f", "focus_filter", N_("Filter"), scope="manager", show=False
    ),
    ActionSpec("manager.close", "escape", "close", N_("Close"), scope="manager", show=False),
    ActionSpec(
        "contact_form.add_number",
        "ctrl+n",
        "add_number",
        N_("Add a number"),
        scope="contact_form",
    ),
    ActionSpec(
        "contact_form.add_detail",
        "ctrl+r",
        "add_detail",
        N_("Add a detail (e-mail, web, address…)"),
        scope="contact_form",
    ),
    ActionSpec("contact_form.save", "ctrl+s", "save", N_("Save"), scope="contact_form"),
    ActionSpec("queues.pickup", "enter", "pickup_selected", N_("Pick up"), scope="queues"),
    ActionSpec("queues.login", "l", "toggle_login", N_("Log in/out of queue"), scope="queues"),
    ActionSpec(
        "queues.login_all",
        "a",
        "toggle_login(True)",
        N_("Log in/out of all queues"),
        scope="queues",
        show=False,
    ),
    ActionSpec("queues.pause", "p", "pause_toggle", N_("Pause/resume"), scope="queues"),
    ActionSpec("queues.hide", "h", "hide_toggle", N_("Hide/show queue"), scope="queues"),
    ActionSpec("queues.flow", "n", "change_flow", N_("Day/night"), scope="queues"),
    ActionSpec("queues.call", "c", "call_queue", N_("Call the queue"), scope="queues", show=False),
    ActionSpec(
        "queues.pin", "d", "pin_toggle", N_("Pin/unpin the queue"), scope="queues", show=False
    ),
    ActionSpec(
        "queues.extra_info",
        "i",
        "extra_info_toggle",
        N_("Caller details on/off"),
        scope="queues",
        show=False,
    ),
    ActionSpec(
        "queues.show_hidden",
        "s",
        "show_hidden_toggle",
        N_("Show hidden queues"),
        scope="queues",
        show=False,
    ),
    ActionSpec(
        "queues.move_up",
        "ctrl+up,left_square_bracket",
        "move_queue(-1)",
        N_("Move queue up"),
        scope="queues",
        show=False,
    ),
    ActionSpec(
        "queues.move_down",
        "ctrl+down,right_square_bracket",
        "move_queue(1)",
        N_("Move queue down"),
        scope="queues",
        show=False,
    ),
    ActionSpec(
        "queues.rules", "f", "open_rules", N_("Forwarding rules"), scope="queues", show=False
    ),
    ActionSpec(
        "keys.configure",
        "alt+k",
        "configure_keys",
        N_("Key configuration…"),
        show=False,
        priority=True,
    ),
    ActionSpec("keys.add", "a,n", "add", N_("Add a key"), scope="key_config"),
    ActionSpec("keys.edit", "enter,e", "edit", N_("Edit the key"), scope="key_config"),
    ActionSpec("keys.delete", "delete,x", "delete", N_("Delete the key"), scope="key_config"),
    ActionSpec(
        "keys.up",
        "ctrl+up,left_square_bracket",
        "move(-1)",
        N_("Move up"),
        scope="key_config",
    ),
    ActionSpec(
        "keys.down",
        "ctrl+down,right_square_bracket",
        "move(1)",
        N_("Move down"),
        scope="key_config",
    ),
    ActionSpec("keys.close", "escape", "close", N_("Close"), scope="key_config"),
    ActionSpec("key_form.save", "ctrl+s", "save", N_("Save"), scope="key_form"),
    ActionSpec(
        "card.prev_tab",
        "left,left_square_bracket",
        "tab(-1)",
        N_("Previous tab"),
        scope="card",
        priority=True,
    ),
    ActionSpec(
        "card.next_tab",
        "right,right_square_bracket",
        "tab(1)",
        N_("Next tab"),
        scope="card",
        priority=True,
    ),
    ActionSpec("card.act", "enter", "act", N_("Call, write, tick"), scope="card"),
    ActionSpec("card.toggle", "space", "toggle_list", N_("In the list or not"), scope="card"),
    ActionSpec("card.close", "escape", "close", N_("Close"), scope="card"),
    ActionSpec(
        "card.private_note",
        "alt+shift+n",
        "private_note",
        N_("Note only for me"),
        scope="card",
        show=False,
    ),
    ActionSpec(
        "card.history", "ctrl+y", "contact_history", N_("Calls with the contact"), scope="card"
    ),
    ActionSpec("rules.add", "a", "add", N_("Add a rule"), scope="queue_rules"),
    ActionSpec("rules.edit", "enter", "edit", N_("Edit the rule"), scope="queue_rules"),
    ActionSpec("rules.toggle", "space", "toggle_rule", N_("Rule on/off"), scope="queue_rules"),
    ActionSpec("rules.delete", "delete,x", "delete", N_("Delete the rule"), scope="queue_rules"),
    ActionSpec("history.call_back", "enter", "call_back", N_("Call back"), scope="history"),
    ActionSpec(
        "chat.edit_last", "up", "edit_last", N_("Edit my last message"), scope="chat", show=False
    ),
    ActionSpec("chat.reply", "alt+q", "reply_last", N_("Quote"), scope="chat"),
    ActionSpec("chat.attach", "alt+h", "attach", N_("Attach a file"), scope="chat"),
    ActionSpec("chat.save_file", "alt+z", "save_file", N_("Save the file"), scope="chat"),
    ActionSpec("chat.delete", "alt+delete", "delete_last", N_("Delete"), scope="chat"),
    ActionSpec(
        "chat.cancel", "escape", "cancel_compose", N_("Stop editing or replying"), scope="chat"
    ),
    ActionSpec(
        "chat.new_group", "ctrl+g", "new_group", N_("New chat group"), scope="chat", show=False
    ),
    ActionSpec("chat.group", "alt+g", "manage_group", N_("Group"), scope="chat"),
    ActionSpec(
        "chat.delete_group",
        "ctrl+delete",
        "delete_group",
        N_("Delete the group"),
        scope="chat",
        show=False,
    ),
    ActionSpec("chat.search", "ctrl+f", "search", N_("Search"), scope="chat"),
    ActionSpec("chat.retry", "ctrl+t", "retry", N_("Send again"), scope="chat"),
    # Issue 15: the open conversation's messages filtered (TWS-4.3.8), the conversations
    # found by part of a name (TWS-4.3.11; Esc in the name field clears it).
    ActionSpec(
        "chat.filter",
        "ctrl+l",
        "filter_thread",
        N_("Filter the messages"),
        scope="chat",
        show=False,
    ),
    ActionSpec(
        "chat.filter_clear", "alt+shift+a", "clear_filter", N_("All messages"), scope="chat"
    ),
    ActionSpec(
        "chat.find_conversation",
        "ctrl+s",
        "find_conversation",
        N_("Find a conversation"),
        scope="chat",
        show=False,
    ),
    ActionSpec("chat_names.clear", "escape", "clear_names", N_("Clear"), scope="chat_names"),
    ActionSpec(
        "chat.new_conversation",
        "ctrl+n",
        "new_conversation",
        N_("New conversation"),
        scope="chat",
        show=False,  # the key bar is full there; F1 and the command palette list it
    ),
    # A new line in the message: Ctrl+J (a line feed) reaches from any terminal; Alt+Enter and
    # Shift+Enter from those that report them (the kitty keyboard protocol: elsewhere they
    # arrive as Enter, which sends).
    ActionSpec(
        "chat.new_line",
        "ctrl+j,alt+enter,shift+enter",
        "new_line",
        N_("New line"),
        scope="chat",
        show=False,
    ),
    ActionSpec(
        "chat.call_back",
        "ctrl+r",
        "call_back",
        N_("Call back"),
        scope="chat",
        priority=True,
    ),
    # Moving through a conversation's messages (TWS-4.3.6/4.3.7): Alt+↑ (or Shift+Tab) puts
    # the focus in the thread, where these keys act on the message selected.
    ActionSpec(
        "chat.select_message",
        "alt+up",
        "select_messages",
        N_("Select a message"),
        scope="chat",
        show=False,
    ),
    ActionSpec(
        "chat.next_unread", "alt+down", "next_unread", N_("Next unread"), scope="chat", show=False
    ),
    # TWS-4.1.3-1: the thread on the whole width, the conversation list hidden (chat_wide.py).
    ActionSpec(
        "chat.wide",
        "alt+shift+x",
        "toggle_wide",
        N_("Widen the thread / the conversations"),
        scope="chat",
        show=False,
    ),
    ActionSpec(
        "chat.open_file", "ctrl+o", "open_file", N_("Open the file"), scope="chat", show=False
    ),
    # Issue 15, TWS-4.3.5.3/4: the files staged for the message (Alt+H adds), their tags.
    ActionSpec(
        "chat.staged", "alt+shift+j", "staged", N_("Staged files"), scope="chat", show=False
    ),
    ActionSpec("chat_staged.tags", "t", "tags", N_("Tags"), scope="chat_staged"),
    ActionSpec("chat_staged.remove", "delete", "remove", N_("Remove"), scope="chat_staged"),
    ActionSpec("chat_staged.open", "o", "open", N_("Open the file"), scope="chat_staged"),
    ActionSpec(
        "chat_staged.clear", "c", "clear", N_("Remove the staged files"), scope="chat_staged"
    ),
    ActionSpec("chat_staged.close", "escape", "close", N_("Close"), scope="chat_staged"),
    # The attach dialog (Alt+H): a file tree where Space marks files.
    ActionSpec("attach_picker.mark", "space", "mark", N_("Mark the file"), scope="attach_picker"),
    ActionSpec(
        "attach_picker.confirm", "enter", "confirm", N_("Attach the files"), scope="attach_picker"
    ),
    ActionSpec("attach_picker.up", "backspace", "up", N_("Parent folder"), scope="attach_picker"),
    ActionSpec("attach_picker.cancel", "escape", "cancel", N_("Cancel"), scope="attach_picker"),
    ActionSpec("chat_tags.remove", "delete", "remove", N_("Remove the tag"), scope="chat_tags"),
    ActionSpec("chat_tags.new", "n", "new", N_("New tag…"), scope="chat_tags"),
    ActionSpec("chat_tags.close", "escape", "close", N_("Close"), scope="chat_tags"),
    ActionSpec(
        "chat_thread.previous",
        "up",
        "move(-1)",
        N_("Previous message"),
        scope="chat_thread",
        show=False,
    ),
    ActionSpec(
        "chat_thread.next",
        "down",
        "move(1)",
        N_("Next message"),
        scope="chat_thread",
        show=False,
    ),
    ActionSpec("chat_thread.reply", "r", "reply", N_("Reply to the message"), scope="chat_thread"),
    ActionSpec("chat_thread.edit", "e", "edit", N_("Edit"), scope="chat_thread"),
    ActionSpec("chat_thread.delete", "delete", "delete", N_("Delete"), scope="chat_thread"),
    ActionSpec("chat_thread.copy", "c", "copy", N_("Copy"), scope="chat_thread"),
    ActionSpec("chat_thread.open_link", "o", "open_link", N_("Open the link"), scope="chat_thread"),
    ActionSpec("chat_thread.back", "escape", "back", N_("Back to writing"), scope="chat_thread"),
    ActionSpec("history.detail", "ctrl+k", "open_detail", N_("Details"), scope="history"),
    ActionSpec(
        "history.kind", "ctrl+t", "cycle_kind", N_("All/received/placed/missed"), scope="history"
    ),
    ActionSpec("history.queue", "ctrl+u", "cycle_queue", N_("Queue filter"), scope="history"),
    ActionSpec("history.period", "ctrl+y", "cycle_period", N_("Today/7/30 days"), scope="history"),
    ActionSpec(
        "history.add_contact", "ctrl+n", "add_contact", N_("Add to contacts"), scope="history"
    ),
    ActionSpec("history.delete", "delete", "delete_entry", N_("Delete"), scope="history"),
    ActionSpec("history.export", "ctrl+s", "export", N_("Export CSV…"), scope="history"),
    ActionSpec(
        "history.statistics", "ctrl+g", "open_statistics", N_("Statistics"), scope="history"
    ),
    # Shown only while History lists one contact's calls (opened by Ctrl+Y from Contacts).
    ActionSpec(
        "history.every_contact", "escape", "every_contact", N_("Every call"), scope="history"
    ),
    ActionSpec("statistics.day", "d", "span('day')", N_("Day"), scope="statistics"),
    ActionSpec("statistics.week", "w", "span('week')", N_("Week"), scope="statistics"),
    ActionSpec("statistics.month", "m", "span('month')", N_("Month"), scope="statistics"),
    ActionSpec("statistics.year", "y", "span('year')", N_("Year"), scope="statistics"),
    ActionSpec("statistics.custom", "c", "custom_period", N_("From… to…"), scope="statistics"),
    ActionSpec(
        "statistics.previous",
        "left,left_square_bracket",
        "shift_period(-1)",
        N_("Previous period"),
        scope="statistics",
    ),
    ActionSpec(
        "statistics.next",
        "right,right_square_bracket",
        "shift_period(1)",
        N_("Next period"),
        scope="statistics",
    ),
    ActionSpec(
        "statistics.call_type",
        "ctrl+t",
        "cycle_call_type",
        N_("All/incoming/outgoing"),
        scope="statistics",
    ),
    ActionSpec(
        "statistics.correspondents",
        "i",
        "cycle_correspondents",
        N_("All/internal/external"),
        scope="statistics",
    ),
    ActionSpec(
        "statistics.one",
        "o",
        "one_correspondent",
        N_("One correspondent…"),
        scope="statistics",
    ),
    ActionSpec(
        "statistics.indicator", "g", "cycle_indicator", N_("Chart figure"), scope="statistics"
    ),
    ActionSpec(
        "statistics.breakdown",
        "b",
        "cycle_breakdown",
        N_("By period/hour/weekday"),
        scope="statistics",
    ),
    ActionSpec("statistics.table", "t", "toggle_table", N_("Chart/table"), scope="statistics"),
    ActionSpec("statistics.export", "ctrl+s", "export", N_("Export CSV…"), scope="statistics"),
    ActionSpec("statistics.close", "escape", "close", N_("Close"), scope="statistics"),
    ActionSpec(
        "voicemail.open",
        "alt+b",
        "open_voicemail",
        N_("Voicemail messages"),
        show=False,
        priority=True,
    ),
    ActionSpec("voicemail.play", "space", "play", N_("Play/pause"), scope="voicemail"),
    ActionSpec("voicemail.back", "left", "seek(-5)", N_("Back 5 s"), scope="voicemail"),
    ActionSpec("voicemail.forward", "right", "seek(5)", N_("Forward 5 s"), scope="voicemail"),
    ActionSpec("voicemail.heard", "r", "toggle_heard", N_("Heard/new"), scope="voicemail"),
    ActionSpec("voicemail.call_back", "enter", "call_back", N_("Call back"), scope="voicemail"),
    ActionSpec(
        "voicemail.add_contact", "ctrl+n", "add_contact", N_("Add to contacts"), scope="voicemail"
    ),
    ActionSpec("voicemail.delete", "delete", "delete_message", N_("Delete"), scope="voicemail"),
    ActionSpec("voicemail.close", "escape", "close", N_("Close"), scope="voicemail", show=False),
    ActionSpec(
        "voicemail.settings",
        "g",
        "open_settings",
        N_("Greetings, PIN, e-mail"),
        scope="voicemail",
    ),
    # Voicemail over SIP: the messages are not listed; the voicemail is called and its
    # menu driven by DTMF (the digits of [backend.sip] voicemail_keys).
    ActionSpec(
        "voicemail.listen",
        "l",
        "listen",
        N_("Listen (call the voicemail)"),
        scope="voicemail_phone",
    ),
    ActionSpec("voicemail.menu_play", "p", "menu('play')", N_("Play"), scope="voicemail_phone"),
    ActionSpec(
        "voicemail.menu_pause",
        "space",
        "menu('pause')",
        N_("Pause/resume"),
        scope="voicemail_phone",
    ),
    ActionSpec(
        "voicemail.menu_skip", "right", "menu('skip')", N_("Next message"), scope="voicemail_phone"
    ),
    ActionSpec(
        "voicemail.menu_replay", "left", "menu('replay')", N_("Replay"), scope="voicemail_phone"
    ),
    ActionSpec(
        "voicemail.menu_delete", "delete", "menu('delete')", N_("Delete"), scope="voicemail_phone"
    ),
    ActionSpec(
        "voicemail.menu_close",
        "escape",
        "close",
        N_("Close"),
        scope="voicemail_phone",
        show=False,
    ),
    ActionSpec(
        "voicemail_settings.activate",
        "enter",
        "activate",
        N_("Use as greeting"),
        scope="voicemail_settings",
    ),
    ActionSpec(
        "voicemail_settings.listen", "space", "listen", N_("Listen"), scope="voicemail_settings"
    ),
    ActionSpec(
        "voicemail_settings.delete",
        "delete",
        "delete_greeting",
        N_("Delete"),
        scope="voicemail_settings",
    ),
    ActionSpec(
        "voicemail_settings.add",
        "ctrl+o",
        "add_file",
        N_("Add a WAV file"),
        scope="voicemail_settings",
    ),
    ActionSpec(
        "voicemail_settings.record",
        "ctrl+r",
        "record",
        N_("Record by phone"),
        scope="voicemail_settings",
    ),
    ActionSpec(
        "voicemail_settings.close",
        "escape",
        "close",
        N_("Close"),
        scope="voicemail_settings",
        show=False,
    ),
    ActionSpec("tools.export", "e", "export", N_("Diagnostics bundle…"), scope="tools"),
    ActionSpec("tools.reconnect", "r", "reconnect", N_("Reconnect now"), scope="tools"),
    ActionSpec("tools.about", "a", "about", N_("About"), scope="tools"),
    ActionSpec("tools.log_level", "l", "log_level", N_("Trace level"), scope="tools"),
    ActionSpec("tools.export_log", "x", "export_log", N_("Export the log…"), scope="tools"),
    ActionSpec(
        "tools.copy_log_folder", "c", "copy_log_folder", N_("Copy the log folder"), scope="tools"
    ),
    ActionSpec(
        "tools.delete_history", "d", "delete_history", N_("Delete all my history…"), scope="tools"
    ),
    # TWS-1.6.1.2-1: Del on a highlighted state of my own in the presence picker removes it.
    ActionSpec(
        "presence_picker.delete",
        "delete",
        "delete_custom",
        N_("Remove the state of my own highlighted"),
        scope="presence_picker",
    ),
    # TWP-3.2.1-1: a state of my own edited (label, base state, note) from the picker.
    ActionSpec(
        "presence_picker.edit",
        "e",
        "edit_custom",
        N_("Edit the state of my own highlighted"),
        scope="presence_picker",
    ),
    ActionSpec("about.copy", "c", "copy", N_("Copy"), scope="about"),
    ActionSpec("about.close", "escape", "close", N_("Close"), scope="about", show=False),
    ActionSpec("audio.close", "escape", "close", N_("Close"), scope="audio", show=False),
    ActionSpec("sounds.preview", "p", "preview", N_("Listen"), scope="sounds"),
    ActionSpec("sounds.add", "ctrl+o", "add_file", N_("Add a sound file"), scope="sounds"),
    ActionSpec("sounds.mute", "m", "toggle_mute", N_("Mute chat and voicemail"), scope="sounds"),
    ActionSpec("sounds.close", "escape", "close", N_("Close"), scope="sounds", show=False),
    # TWS-6.8-5: an announcement recorded from the microphone (start, then stop).
    ActionSpec("sounds.record", "ctrl+r", "record", N_("Record"), scope="sounds"),
    # TWS-6.11-8: what is installed and what is missing, with versions.
    ActionSpec("tools.dependencies", "k", "dependencies", N_("Check dependencies"), scope="tools"),
    # TWS-6.11-6: an e-mail to support, the diagnostics bundle to attach.
    ActionSpec("tools.mail", "m", "mail_support", N_("E-mail support"), scope="tools"),
    ActionSpec("dependencies.copy", "c", "copy", N_("Copy"), scope="dependencies"),
    ActionSpec(
        "dependencies.close", "escape", "close", N_("Close"), scope="dependencies", show=False
    ),
    ActionSpec("tools.close", "escape", "close", N_("Close"), scope="tools", show=False),
    ActionSpec(
        "setup.cancel", "escape", "cancel", N_("Back to the console"), scope="setup", show=False
    ),
    ActionSpec(
        "profiles.rule_up", "shift+up", "rule_up", N_("Rule up (tried sooner)"), scope="profiles"
    ),
    ActionSpec(
        "profiles.rule_down",
        "shift+down",
        "rule_down",
        N_("Rule down (tried later)"),
        scope="profiles",
    ),
    # TWS-6.10.6.3-1 / TWP-5.1.5-1: tick or untick the highlighted rule's box.
    ActionSpec("profiles.rule_toggle", "space", "toggle_rule", N_("Rule on/off"), scope="profiles"),
    # TWS-6.10.5-1 / -6.10.6.5-1: the profile or rule focused, after a Yes/No question.
    ActionSpec("profiles.delete", "delete", "delete", N_("Delete"), scope="profiles"),
    ActionSpec(
        "history_detail.comment", "c", "add_comment", N_("Add a comment"), scope="history_detail"
    ),
    ActionSpec(
        "history_detail.edit",
        "e",
        "edit_comment",
        N_("Edit a comment"),
        scope="history_detail",
    ),
    ActionSpec(
        "history_detail.delete_comment",
        "delete,d",
        "delete_comment",
        N_("Delete a comment"),
        scope="history_detail",
    ),
    ActionSpec("history_detail.close", "escape", "close", N_("Close"), scope="history_detail"),
    ActionSpec(
        "presence.pick", "alt+p", "pick_presence", N_("Presence"), show=False, priority=True
    ),
    ActionSpec(
        "forwarding.set", "alt+f", "set_forwarding", N_("Forwarding"), show=False, priority=True
    ),
    ActionSpec(
        "forwarding.toggle",
        "alt+shift+f",
        "toggle_forwarding",
        N_("Forwarding on/off"),
        show=False,
        priority=True,
    ),
    ActionSpec(
        "call.presented_number",
        "alt+j",
        "pick_presented_number",
        N_("Number callers see"),
        show=False,
        priority=True,
    ),
    ActionSpec(
        "app.sign_in",
        "alt+shift+s",
        "sign_in_again",
        N_("Sign in to another phone system…"),
        show=False,
        priority=True,
    ),
    ActionSpec(
        "presence.dnd",
        "alt+shift+d",
        "toggle_dnd",
        N_("Do not disturb on/off"),
        show=False,
        priority=True,
    ),
    ActionSpec(
        "presence.note", "alt+n", "presence_note", N_("Presence note"), show=False, priority=True
    ),
    ActionSpec(
        "profile.switch", "alt+u", "switch_profile", N_("Switch profile"), show=False, priority=True
    ),
    ActionSpec(
        "app.language",
        "alt+l",
        "toggle_language",
        N_("Français/English"),
        show=False,
        priority=True,
    ),
    ActionSpec(
        "nav.contacts",
        "alt+1",
        "switch_mode('contacts')",
        N_("Contacts"),
        show=False,
        priority=True,
    ),
    ActionSpec("nav.call", "alt+2", "switch_mode('call')", N_("Calls"), show=False, priority=True),
    ActionSpec(
        "nav.queues", "alt+3", "switch_mode('queues')", N_("Queues"), show=False, priority=True
    ),
    ActionSpec("nav.chat", "alt+4", "switch_mode('chat')", N_("Chat"), show=False, priority=True),
    ActionSpec(
        "nav.history", "alt+5", "switch_mode('history')", N_("History"), show=False, priority=True
    ),
    ActionSpec(
        "nav.prefs", "alt+6", "switch_mode('prefs')", N_("Preferences"), show=False, priority=True
    ),
)

ACTIONS_BY_ID: Mapping[str, ActionSpec] = {spec.id: spec for spec in ACTIONS}


#: The key names Textual gives that are not a character, a function key or a character's
#: Unicode name (``slash``, ``left_square_bracket``…, checked with :mod:`unicodedata`).
NAMED_KEYS = frozenset(
    {
        "enter", "escape", "tab", "space", "backspace", "delete", "insert", "home", "end",
        "pageup", "pagedown", "up", "down", "left", "right",
        # Textual's own names for some characters (textual.keys.KEY_NAME_REPLACEMENTS)
        "slash", "backslash", "at", "minus", "plus", "underscore",
    }
)  # fmt: skip
MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})
FUNCTION_KEYS = frozenset(f"f{number}" for number in range(1, 25))

#: Problems of a user keymap: English msgids, ``{key}`` being ``keymap."<id>"``.
UNKNOWN_ACTION = N_("{key}: unknown action id; ignored")
NO_KEY = N_('{key} = {value} — expected a key name in quotes, such as "f5" or "ctrl+a"; ignored')
NOT_A_KEY = N_(
    '{key} = {value} — {name} is not a key name (such as "f5", "ctrl+t", "enter");'
    " the default key is kept"
)
TAKEN_KEY = N_("{key} = {value} — {name} is already the key of {other}; the default key is kept")


@value_class
class KeymapProblem:
    """One refused entry of a user keymap: the action id, a msgid and its parameters."""

    action_id: str
    template: str
    params: Mapping[str, str]


def is_key_name(key: str) -> bool:
    """Whether Textual can bind ``key`` (``ctrl+t``, ``f5``, ``enter``, ``slash``, ``a``)."""
    *modifiers, base = key.split("+")
    if any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    if len(base) == 1 or base in FUNCTION_KEYS or base in NAMED_KEYS:
        return True
    try:
        return len(unicodedata.lookup(base.replace("_", " "))) == 1
    except KeyError:
        return False


def validate_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[KeymapProblem]]:
    """Split a user keymap into the entries applied and one problem per refused entry: an
    unknown action, a key that is not a key name, or a key another action of the same screen
    already has after the keymap (a collision: the entry is refused, both keep their keys)."""
    valid: dict[str, str] = {}
    problems: list[KeymapProblem] = []
    for binding_id, keys in keymap.items():
        if binding_id not in ACTIONS_BY_ID:
            problems.append(KeymapProblem(binding_id, UNKNOWN_ACTION, {}))
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(KeymapProblem(binding_id, NO_KEY, {"value": repr(keys)}))
        else:
            cleaned = keys.replace(" ", "")
            bad = next((key for key in cleaned.split(",") if not is_key_name(key)), None)
            if bad is None:
                valid[binding_id] = cleaned
            else:
                params = {"value": repr(keys), "name": repr(bad)}
                problems.append(KeymapProblem(binding_id, NOT_A_KEY, params))
    for binding_id, key, other in _collisions(valid):
        if binding_id in valid:
            del valid[binding_id]
            params = {"value": repr(keymap[binding_id]), "name": repr(key), "other": other}
            problems.append(KeymapProblem(binding_id, TAKEN_KEY, params))
    return valid, problems


def _collisions(keymap: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(user entry, key, the other action) for each key two actions of one scope share."""
    keys = effective_keys(keymap)
    owner: dict[tuple[str, str], str] = {}
    found = []
    # Actions the user did not remap claim their keys first: a remapped one is the intruder.
    for spec in sorted(ACTIONS, key=lambda spec: spec.id in keymap):
        for key in keys[spec.id].split(","):
            other = owner.setdefault((spec.scope, key), spec.id)
            if other != spec.id and spec.id in keymap:
                found.append((spec.id, key, other))
    return found


def keymap_problem_text(problem: KeymapProblem) -> str:
    """A problem in the current language, as the settings' problems read."""
    key = f'keymap."{problem.action_id}"'
    return _(problem.template).format(key=key, **problem.params)


def effective_keys(keymap: Mapping[str, str]) -> dict[str, str]:
    """Keys of every action after the user's keymap is applied."""
    return {spec.id: keymap.get(spec.id, spec.keys) for spec in ACTIONS}


def scopes() -> Iterable[str]:
    return sorted({spec.scope for spec in ACTIONS})
