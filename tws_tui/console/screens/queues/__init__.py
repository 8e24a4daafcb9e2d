"""The Queues screen and its forwarding-rules dialogs."""
