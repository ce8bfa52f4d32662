"""Conversation flows, independent of any chat platform.

A flow takes a neutral `Incoming` event and returns neutral `Reply` objects; adapters in `bot/`
turn them into Telegram messages, Slack blocks or console lines.
"""
