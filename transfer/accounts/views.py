from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from transfer.accounts.services import user_delete_all_data
from transfer.amazon.scopes import describe_scopes
from transfer.amazon.services import connection_disconnect, connection_for_account
from transfer.core.types import AuthedRequest

DELETE_CONFIRMATION = "delete my data"


@require_GET
@login_required
def account(request: AuthedRequest) -> HttpResponse:
    connection = connection_for_account(user=request.user)
    scopes = describe_scopes(connection.scopes) if connection else []
    return render(
        request,
        "accounts/account.html",
        {"connection": connection, "scopes": scopes, "confirmation": DELETE_CONFIRMATION},
    )


@require_POST
@login_required
def disconnect(request: AuthedRequest) -> HttpResponse:
    revoked = connection_disconnect(user=request.user)
    if revoked:
        messages.success(request, "Amazon is disconnected and this app's access was revoked.")
    else:
        messages.warning(
            request,
            "We deleted your Amazon tokens here, but Amazon did not confirm the revocation. "
            "You can also remove this app in your Amazon account's settings.",
        )
    return redirect("accounts:account")


@require_POST
@login_required
def delete_data(request: AuthedRequest) -> HttpResponse:
    if request.POST.get("confirmation", "").strip().lower() != DELETE_CONFIRMATION:
        messages.error(request, f'Type "{DELETE_CONFIRMATION}" to confirm.')
        return redirect("accounts:account")
    user = request.user
    logout(request)
    user_delete_all_data(user=user)
    messages.success(request, "Your account and all your data are deleted.")
    return redirect("home")
