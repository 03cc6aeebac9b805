"""`make shell`: chat with the running bot from a terminal, through the front door's relay."""
from __future__ import annotations

import asyncio
import getpass
import logging

from aftersales.db import make_engine, make_sessionmaker
from bot.config import rasa_url
from bot.relay import Relay


async def chat() -> None:
    relay = Relay(rasa_url(), make_sessionmaker(make_engine()))
    user = f"shell-{getpass.getuser()}"
    print(f"Talking to {rasa_url()} as web:{user} (Ctrl-D to quit). 你好 / hello")
    try:
        while True:
            try:
                text = await asyncio.to_thread(input, "you> ")
            except EOFError:
                break
            if text.strip():
                for reply in await relay.customer_turn("web", user, text):
                    print("bot>", reply.get("text", ""))
                    for button in reply.get("buttons") or []:
                        print(f"     [{button['title']}] {button['payload']}")
    finally:
        await relay.close()


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(chat())


if __name__ == "__main__":
    main()
