"""Leave in the dialogs' world (conftest.py): Anna's request for Elsa, made as she makes it in
the chat, for the tests of deciding it and of the staff's language."""

from __future__ import annotations

from tests.dialogs.transcript import Chat


async def ask_for_leave_for_elsa(anna: Chat) -> None:
    """Anna (G1) asks for leave for Elsa from Tuesday 24 to Thursday 26 November, for her
    grandmother's 90th birthday."""
    for said in (
        "/start",
        "[Ansök om ledighet]",
        "[Elsa Berg]",
        "[tis 24 nov.]",
        "[tors 26 nov.]",
        "Farmors 90-årsdag",
        "[Skicka ansökan]",
    ):
        await anna.send(said)
