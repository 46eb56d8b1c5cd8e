"""Sign-in throttling: django-axes, counting failures per person at an address and per address.

Shop-floor staff share one wifi address, so locking the address after a handful of typos
would lock the whole shop. Failures are therefore counted twice: for the username at the
address (AXES_FAILURE_LIMIT, low) and for the address alone (SIGNIN_ADDRESS_FAILURE_LIMIT,
higher), which still stops one place from guessing its way through many accounts.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


class PairThenAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, with its own limit for each of the two counts.

    Axes compares the largest count with one limit; here the address count is measured
    against its own, higher limit. AXES_LOCKOUT_PARAMETERS lists the pair first and the
    address second, and the querysets come back in that order.
    """

    def get_failures(self, request, credentials=None) -> int:
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A good sign-in clears that person's own typos at the address and nothing else:
        # clearing the address would let one valid account wipe a run of guesses at others.
        pair_attempts, _address_attempts = self.filter_user_attempts(request, credentials)
        count, _ = pair_attempts.delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The locked-out page, in the site's layout, with the status axes would send."""
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": settings.SIGNIN_COOLOFF_MINUTES},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
