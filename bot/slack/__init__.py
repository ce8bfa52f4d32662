"""The Slack channel, for staff: slack-bolt's AsyncApp in, the dialog engine's neutral events
out, Block Kit back, and a sender for the outbox.

The modules convert and transport; every decision is the dialog engine's.
"""
