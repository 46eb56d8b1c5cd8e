"""The simulated people: managers capturing on their phones, executives on the dashboard.

Run by `python -m tests.load`, which seeds the accounts and passes them in LOAD_PLAN (a
JSON file); every request is written to LOAD_SAMPLES for the summary.
"""

import io
import itertools
import json
import os
import random
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task
from PIL import Image

from tests.load.summary import CAPTURE, CAPTURE_WITH_PHOTO

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
SAMPLES: list[list] = []
MANAGERS = itertools.cycle(PLAN["managers"])
EXECUTIVES = itertools.cycle(PLAN["executives"])
TIMEOUT = 60


def phone_photo() -> bytes:
    # Noise does not compress, so the upload weighs what a small phone photo does.
    picture = Image.effect_noise((1280, 960), 60).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


PHOTO = phone_photo()


@events.request.add_listener
def keep_sample(name, response_time, response, exception, **_):
    status = response.status_code if response is not None else 0
    SAMPLES.append([name, response_time, status, exception is None])


@events.quitting.add_listener
def write_samples(**_):
    with Path(os.environ["LOAD_SAMPLES"]).open("w") as out:
        out.writelines(json.dumps(sample) + "\n" for sample in SAMPLES)


class SignedIn(HttpUser):
    abstract = True

    def sign_in(self, person: dict) -> None:
        # Seeded sessions: the cookies are set without the Secure flag production gives
        # them, so they travel over the loopback's plain HTTP.
        self.client.cookies.set("sessionid", person["sessionid"])
        self.client.cookies.set("csrftoken", person["csrftoken"])
        self.csrftoken = person["csrftoken"]


class Manager(SignedIn):
    wait_time = between(3, 10)

    def on_start(self):
        person = next(MANAGERS)
        self.sign_in(person)
        self.capture_url = f"/journal/sessions/{person['session']}/capture/"

    @task(6)
    def capture(self):
        with_photo = random.random() < PLAN["photo_share"]
        fields = {
            "csrfmiddlewaretoken": self.csrftoken,
            "client_uuid": str(uuid.uuid4()),
            "touchpoint": "store",
            "journey_stage": "choose",
            "emotion": random.choice(["frustrated", "confused", "delighted"]),
            "intensity": str(random.randint(1, 5)),
            "what_happened": "Three people waited at the fitting rooms with nobody to open them.",
            "quote": "Is anyone working here?",
            "kind": "pain_point",
            "impact": "medium",
        }
        files = {"photos": ("floor.jpg", PHOTO, "image/jpeg")} if with_photo else None
        with self.client.post(
            self.capture_url,
            data=fields,
            files=files,
            headers={"Accept": "application/json"},
            name=CAPTURE_WITH_PHOTO if with_photo else CAPTURE,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not response.json().get("saved"):
                response.failure(f"not saved: {response.status_code} {response.text[:200]}")

    @task(2)
    def open_capture_page(self):
        self.client.get(self.capture_url, name="capture: page", timeout=TIMEOUT)

    @task(1)
    def journal(self):
        self.client.get("/journal/", name="journal: list", timeout=TIMEOUT)


class Executive(SignedIn):
    wait_time = between(2, 6)
    fixed_count = PLAN["executive_count"]

    def on_start(self):
        self.sign_in(next(EXECUTIVES))

    @task(3)
    def dashboard(self):
        self.client.get("/insights/dashboard/", name="dashboard", timeout=TIMEOUT)

    @task(1)
    def dashboard_for_a_store(self):
        store = random.choice(PLAN["stores"])
        self.client.get(
            f"/insights/dashboard/?team={store}", name="dashboard: one store", timeout=TIMEOUT
        )
