"""Editors at work, for locust: mostly tagging, some reading, now and then an export.

Run through bench/load.py, which starts the server, fills it and reports the figures.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

ARTICLE = int(os.environ["BENCH_ARTICLE"])
SENTENCES = [int(s) for s in os.environ["BENCH_SENTENCES"].split(",")]
EMAIL = os.environ["BENCH_EMAIL"]
PASSWORD = os.environ["BENCH_PASSWORD"]
TOKEN = re.compile(r'"X-CSRF-Token": "([0-9a-f]+)"')


class Editor(HttpUser):
    wait_time = between(0.2, 1.0)  # an editor reads a sentence before tagging it

    def on_start(self) -> None:
        page = self.client.get("/login", name="/login")
        token = TOKEN.search(page.text)
        self.client.post(
            "/login",
            data={
                "csrf_token": token.group(1) if token else "",
                "email": EMAIL,
                "password": PASSWORD,
            },
            name="sign in",
        )
        desk = self.client.get(f"/articles/{ARTICLE}", name="/articles/[id]")
        found = TOKEN.search(desk.text)
        self.token = found.group(1) if found else ""

    @task(10)
    def tag(self) -> None:
        sid = random.choice(SENTENCES)
        self.client.post(
            f"/articles/{ARTICLE}/sentences/{sid}/tag",
            data={"key": str(random.randint(0, 7))},
            headers={"X-CSRF-Token": self.token, "HX-Request": "true"},
            name="tag",
        )
        # as the desk does once the tagged row is painted: the rows after it, the panel
        self.client.get(
            f"/articles/{ARTICLE}/sentences/{sid}/following",
            headers={"HX-Request": "true"},
            name="rows after a tag",
        )

    @task(3)
    def read(self) -> None:
        self.client.get(
            f"/articles/{ARTICLE}/sentences/{random.choice(SENTENCES)}",
            headers={"HX-Request": "true"},
            name="row",
        )
        self.client.post(
            f"/articles/{ARTICLE}/live",
            data={"position": "1"},
            headers={"X-CSRF-Token": self.token, "HX-Request": "true"},
            name="live poll",
        )

    @task(1)
    def browse(self) -> None:
        self.client.get("/claims", name="/claims")

    @task(1)
    def export(self) -> None:
        self.client.get(f"/articles/{ARTICLE}/export.csv", name="export.csv")
