#!/usr/bin/env python3
"""Five-minute tour of Nexus over WebSocket: two sessions coordinate through events.

Needs the `websockets` library (Debian/Ubuntu: apt install python3-websockets; elsewhere: pip install websockets).
Run with a server on the default port: bin/nexus serve, then python3 examples/tour.py
"""
import asyncio
import json
import sys

import websockets

BASE = sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:8450"


pending = {}  # events that arrived while we waited for a reply, per connection


async def reply(ws, frame_id):
    """Waits for the reply (ack, error or pong) carrying our id; events arriving meanwhile are kept."""
    while True:
        message = json.loads(await ws.recv())
        if "type" in message and message.get("id") == frame_id:
            return message
        pending.setdefault(ws, []).append(message)


async def next_event(ws, event_type):
    """Returns the next event of a type, looking first at those kept while waiting for replies."""
    kept = pending.setdefault(ws, [])
    for message in kept:
        if message.get("event_type") == event_type:
            kept.remove(message)
            return message
    while True:
        message = json.loads(await ws.recv())
        if "type" not in message and message["event_type"] == event_type:
            return message


async def main():
    async with websockets.connect(f"{BASE}/ws/session/session-5") as builder, \
               websockets.connect(f"{BASE}/ws/session/session-3") as helper:
        # session-3 listens for help requests and work announcements
        await helper.send(json.dumps({"action": "subscribe", "topics": ["help.*", "work.*"], "id": 1}))
        print("session-3 subscribed:", (await reply(helper, 1))["subscriptions"])

        # session-5 announces what it can do, then asks for help
        await builder.send(json.dumps({"action": "publish", "event_type": "capability.broadcast", "id": 2,
                                       "payload": {"capabilities": ["python", "websocket"], "role": "Builder"}}))
        await reply(builder, 2)
        await builder.send(json.dumps({"action": "publish", "event_type": "help.needed", "id": 3,
                                       "payload": {"task": "Debug WebSocket reconnects",
                                                   "capabilities_needed": ["python"]}}))
        ack = await reply(builder, 3)
        print("session-5 published help.needed as seq", ack["seq"])

        event = await next_event(helper, "help.needed")
        print("session-3 received:", event["payload"]["task"], "from", event["session_id"])

        # session-3 claims the work atomically; everyone subscribed to work.* hears about it
        await helper.send(json.dumps({"action": "claim", "work_id": "debug-reconnects", "id": 4,
                                      "work_description": event["payload"]["task"]}))
        claim = await reply(helper, 4)
        print("session-3 claimed", claim["work_id"], "with fencing token", claim["fencing_token"])
        claimed = await next_event(helper, "work.claimed")
        print("broadcast:", claimed["event_type"], claimed["payload"]["work_id"], "by", claimed["session_id"])

        await helper.send(json.dumps({"action": "complete", "work_id": "debug-reconnects", "id": 5,
                                      "result": {"fixed": True}}))
        await reply(helper, 5)
        done = await next_event(helper, "work.completed")
        print("broadcast:", done["event_type"], done["payload"]["work_id"], "result", done["payload"]["result"])

        await helper.send(json.dumps({"action": "ping", "id": 6}))
        print("ping ->", (await reply(helper, 6))["type"])


asyncio.run(main())
