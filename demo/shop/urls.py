from django.contrib import admin
from django.urls import path

from accounts import views as account_views
from shop import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", views.product_list, name="products"),
    path("cart/add/<int:product_id>/", views.add_to_cart, name="add-to-cart"),
    path("cart/", views.show_cart, name="cart"),
    path("currency/<str:code>/", views.set_currency, name="currency"),
    path("checkout/", views.checkout, name="checkout"),
    path("welcome/", account_views.onboarding, name="onboarding"),
]
