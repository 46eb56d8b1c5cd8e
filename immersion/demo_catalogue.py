"""The session types and personas a new organisation starts with. CX leads edit them freely."""

from datetime import timedelta

from immersion.models import Touchpoint as T

# name, purpose, default length, suggested touchpoints, prompts in the order to think of them
SESSION_TYPES = [
    (
        "Floor walk",
        "Walk your own store as a shopper would, from the car park to the till, and talk "
        "to the customers you meet.",
        timedelta(hours=1),
        [T.STORE, T.SIGNAGE, T.STAFF, T.PRODUCT],
        [
            "Arrive the way customers do. What is the first thing you notice, good or bad?",
            "Pick one thing to buy. How long until you know where it is?",
            "Who greets you, and does it feel like they want to help?",
            "Ask a customer what nearly made them leave today.",
            "Stand in the queue. How long is it really, and what is there to look at?",
            "What would you be embarrassed for your own family to see here?",
        ],
    ),
    (
        "Wheelchair day",
        "Spend a day moving through the service in a wheelchair, to feel what a disabled "
        "customer meets at every step.",
        timedelta(hours=6),
        [T.STORE, T.SIGNAGE, T.STAFF, T.POLICY],
        [
            "Before you set off: check how you would plan this visit from the website.",
            "Entrances, doors and lifts: which needed someone else's help?",
            "Can you reach the shelves, the card reader and the counter on your own?",
            "How do staff speak to you: to you, or over you to a companion?",
            "Where did you have to wait, turn back, or give up?",
            "Which rule or policy made things harder than the building did?",
        ],
    ),
    (
        "Listening post",
        "Sit in on live calls or chats with the support team and hear customers in their "
        "own words.",
        timedelta(hours=2),
        [T.PHONE, T.CHAT, T.EMAIL, T.POLICY],
        [
            "Note the exact words customers use to describe their problem.",
            "How many times does a customer repeat themselves before it is understood?",
            "Which problems should never have needed a call at all?",
            "Where does the adviser's script or system get in the way of helping?",
            "How does the customer sound at the end of the call compared with the start?",
        ],
    ),
    (
        "Back to the floor",
        "Work a front-line shift alongside the team: tills, stock, phones or deliveries.",
        timedelta(hours=4),
        [T.STAFF, T.STORE, T.POLICY, T.DELIVERY],
        [
            "What do colleagues have to work around to serve customers well?",
            "Which question did customers ask most often?",
            "What did you have to say no to, and why?",
            "What tool, form or rule wasted the most time?",
            "Ask the team: if you could change one thing tomorrow, what would it be?",
        ],
    ),
    (
        "Mystery shop",
        "Buy something, ask for advice or make a return as an ordinary customer, without "
        "saying who you are.",
        timedelta(hours=1),
        [T.STORE, T.STAFF, T.BILLING, T.POLICY],
        [
            "Was the advice you were given right, and did it feel honest?",
            "How easy was it to pay, and did the receipt make sense?",
            "Try to return or change something. How much effort did it take?",
            "Were you ever made to feel you were a nuisance?",
            "Would you come back? Say why in one sentence.",
        ],
    ),
    (
        "Customer home visit",
        "Visit a customer at home, with their consent, and see the product in the life it "
        "is bought for.",
        timedelta(hours=2),
        [T.PRODUCT, T.DELIVERY, T.INFORMATION, T.BILLING],
        [
            "Ask them to show you, not tell you, how they use the product.",
            "What workarounds have they invented?",
            "Where do they keep the paperwork, and have they ever read it?",
            "What did the delivery or set-up feel like for them?",
            "What do they wish someone had told them before they bought?",
        ],
    ),
    (
        "Product and packaging unboxing",
        "Open your own product as a customer would, at home, from the delivery box to the "
        "first use. The packaging is a touchpoint too.",
        timedelta(minutes=45),
        [T.PACKAGING, T.PRODUCT, T.INFORMATION, T.DELIVERY],
        [
            "How did it arrive: was the box the right size, undamaged, easy to carry?",
            "Open it without scissors. Could you?",
            "How much packaging is left over, and can the customer recycle it?",
            "Find the instructions. Could you follow them without the website?",
            "How long from opening the box until the product did its job?",
            "What did you feel at the moment of opening: delight, doubt, annoyance?",
        ],
    ),
    (
        "Digital journey walk-through",
        "Use the website or app as a customer, from searching for a product to getting help "
        "when something goes wrong.",
        timedelta(hours=1),
        [T.WEBSITE, T.APP, T.EMAIL, T.CHAT],
        [
            "Start from a search engine, not the home page. Where do you land?",
            "Try it on a phone with one hand, on a slow connection.",
            "How many steps to buy, and where were you asked for something twice?",
            "Find out how to contact a person. How long did it take?",
            "Read every e-mail that follows. Would a customer understand them?",
            "Turn on a screen reader or zoom to 200%: what breaks?",
        ],
    ),
]

PERSONAS = [
    (
        "Wheelchair user",
        "Uses a manual wheelchair; shops alone most days and plans trips around access.",
    ),
    (
        "Older customer",
        "In their late seventies, not confident online, prefers to talk to a person and "
        "needs time to read small print.",
    ),
    (
        "Parent with a buggy",
        "Has a toddler in a buggy and a baby in a sling; both hands are usually full.",
    ),
    (
        "First-time buyer",
        "Has never bought from us before and does not know our words for things.",
    ),
    (
        "Customer with a complaint",
        "Something went wrong last time; they are wary and want it put right without a fight.",
    ),
    (
        "Digital-only customer",
        "Never visits a store or phones; expects to do everything in the app, at any hour.",
    ),
]
