"""What keys do: controllers that read a screen's typed context and send commands."""
