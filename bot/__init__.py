"""Front doors (Telegram, web widget, supervisor console), the handoff relay and the launcher."""
