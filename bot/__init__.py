"""Adapters (console; Telegram and Slack to come), the CLI, and the composition root."""
