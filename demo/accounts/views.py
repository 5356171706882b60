from django.http import JsonResponse

ONBOARDING_STEP = "onboarding_step"


def onboarding(request):
    step = request.session.get(ONBOARDING_STEP, 0)
    request.session[ONBOARDING_STEP] = step + 1
    if step >= 3:
        request.session.pop(ONBOARDING_STEP, None)
        request.session["onboarded"] = True
    request.session.set_expiry(60 * 60 * 24 * 30)
    return JsonResponse({"step": step})


def preferences(request):
    # "curency" is a typo for "currency": Django Sessions flags it (DS101) with a did-you-mean.
    return JsonResponse({"currency": request.session.get("curency", "EUR")})
