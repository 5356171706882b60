from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect

RECENTLY_VIEWED = "recently_viewed"
PRODUCTS = {1: "Teapot", 2: "Kettle", 3: "Mug"}


def product_list(request):
    request.session[RECENTLY_VIEWED] = request.session.get(RECENTLY_VIEWED, [])[-4:]
    currency = request.session.get("currency", "EUR")
    return JsonResponse({"products": PRODUCTS, "currency": currency})


def add_to_cart(request, product_id):
    cart = request.session.setdefault("cart", {})
    cart[str(product_id)] = cart.get(str(product_id), 0) + 1
    request.session.modified = True
    viewed = request.session.get(RECENTLY_VIEWED, [])
    request.session[RECENTLY_VIEWED] = (viewed + [product_id])[-5:]
    return redirect("cart")


def show_cart(request):
    cart = request.session.get("cart", {})
    if "coupon" in request.session:
        discount = request.session["coupon"]
    else:
        discount = None
    return JsonResponse({"cart": cart, "coupon": discount})


def set_currency(request, code):
    request.session["currency"] = code.upper()
    return HttpResponse(status=204)


def checkout(request):
    order_ref = request.session.session_key or request.session.create()
    return JsonResponse({"order": order_ref, "cart": request.session.get("cart", {})})
