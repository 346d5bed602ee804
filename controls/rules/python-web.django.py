# Tests for python-web.yaml: Django views (HttpRequest, URL keyword arguments).
import ldap
import requests
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import Context, Template
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from ldap.filter import escape_filter_chars

from .models import Order, Profile


def search(request):
    name = request.GET.get("name", "")
    sql = "SELECT * FROM shop_order WHERE customer = '" + name + "'"
    # ruleid: python.sql-injection-from-request
    orders = Order.objects.raw(sql)
    return render(request, "orders.html", {"orders": orders})


def search_params(request):
    # ok: python.sql-injection-from-request
    orders = Order.objects.raw("SELECT * FROM shop_order WHERE customer = %s", [request.GET.get("name")])
    return render(request, "orders.html", {"orders": orders})


def search_extra(request):
    # ruleid: python.sql-injection-from-request
    orders = Order.objects.extra(where=["customer = '%s'" % request.GET["name"]])
    return render(request, "orders.html", {"orders": orders})


def annotate(request):
    # ruleid: python.sql-injection-from-request
    qs = Order.objects.annotate(flag=RawSQL(request.POST["expr"], []))
    return render(request, "orders.html", {"orders": qs})


def annotate_fixed(request):
    # ok: python.sql-injection-from-request
    qs = Order.objects.annotate(flag=RawSQL("total > %s", [int(request.POST["min"])]))
    return render(request, "orders.html", {"orders": qs})


def run_report(request):
    query = request.POST["query"]
    with connection.cursor() as cursor:
        # ruleid: python.sql-injection-from-request
        cursor.execute(query)
        return JsonResponse({"rows": cursor.fetchall()})


def run_report_formatted(request):
    with connection.cursor() as cursor:
        # python.sql-string-formatting (python-security.yaml) reports this one
        # ok: python.sql-injection-from-request
        cursor.execute("SELECT * FROM t WHERE a = '%s'" % request.POST["a"])
        return JsonResponse({"rows": cursor.fetchall()})


def order_detail(request, order_id):
    with connection.cursor() as cursor:
        # ok: python.sql-injection-from-request
        cursor.execute("SELECT * FROM shop_order WHERE id = %s", [order_id])
        return JsonResponse({"row": cursor.fetchone()})


def by_slug(request, slug):
    # URL keyword arguments come from the request path
    # ruleid: python.sql-injection-from-request
    rows = Profile.objects.raw(f"SELECT * FROM profile WHERE slug = '{slug}'")
    return render(request, "profile.html", {"rows": rows})


def greet(request):
    # ruleid: python.xss-from-request
    return HttpResponse("<p>Hello " + request.GET.get("name", "") + "</p>")


def greet_safe(request):
    # ok: python.xss-from-request
    return HttpResponse(format_html("<p>Hello {}</p>", request.GET.get("name", "")))


def greet_text(request):
    # ok: python.xss-from-request
    return HttpResponse(request.GET.get("name", ""), content_type="text/plain")


def banner(request):
    # ruleid: python.xss-from-request
    return render(request, "banner.html", {"banner": mark_safe(request.COOKIES["banner"])})


def login_next(request):
    nxt = request.GET.get("next", "/")
    # ruleid: python.open-redirect-from-request
    return HttpResponseRedirect(nxt)


def login_next_checked(request):
    nxt = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        # ok: python.open-redirect-from-request
        return redirect(nxt)
    return redirect("home")


def proxy(request):
    # ruleid: python.ssrf-from-request
    return HttpResponse(requests.get(request.POST["url"], timeout=5).content, content_type="text/plain")


def render_snippet(request):
    # ruleid: python.template-injection-from-request
    return HttpResponse(Template(request.POST["snippet"]).render(Context({})))


def render_fixed(request):
    # ok: python.template-injection-from-request
    return HttpResponse(Template("<p>{{ s }}</p>").render(Context({"s": request.POST["snippet"]})))


def find_user(request):
    conn = ldap.initialize("ldap://ldap.example.com")
    uid = request.GET["uid"]
    # ruleid: python.ldap-injection-from-request
    return JsonResponse({"r": conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")})


def find_user_escaped(request):
    conn = ldap.initialize("ldap://ldap.example.com")
    uid = escape_filter_chars(request.GET["uid"])
    # ok: python.ldap-injection-from-request
    return JsonResponse({"r": conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")})


class ReportView(View):
    def get(self, request, *args, **kwargs):
        # ruleid: python.path-traversal-from-request
        with open("/srv/reports/" + self.kwargs["name"]) as f:
            return HttpResponse(f.read(), content_type="text/plain")


# ruleid: python.django-csrf-exempt
@csrf_exempt
def transfer(request):
    if not request.user.is_authenticated:
        return redirect("login")
    request.user.account.transfer(request.POST["to"], int(request.POST["amount"]))
    return redirect("done")


# ruleid: python.django-csrf-exempt
@csrf_exempt
@login_required
def settings_update(request):
    Profile.objects.filter(pk=1).update(theme=request.POST["theme"])
    return redirect("done")


# a server-to-server webhook authenticated by its own header token: no cookie, no session
# ok: python.django-csrf-exempt
@csrf_exempt
def webhook(request):
    if request.headers.get("X-Token") != "expected":
        return HttpResponse(status=403)
    return HttpResponse("ok")


def login_view(request):
    response = redirect("home")
    # ruleid: python.set-cookie-insecure
    response.set_cookie("sessionid_legacy", request.session.session_key)
    # ok: python.set-cookie-insecure
    response.set_cookie("auth_token", "v", secure=True, httponly=True, samesite="Lax")
    # ok: python.set-cookie-insecure
    response.set_cookie("theme", "dark")
    # ruleid: python.set-cookie-insecure
    response.set_cookie("theme", "dark", secure=False)
    # ok: python.set-cookie-insecure
    response.set_cookie("session_id", None)
    return response


def sort_link(request):
    q = request.GET.copy()
    q["sort"] = "name"
    # a percent-encoded query string carries no markup
    # ok: python.xss-from-request
    return HttpResponse(mark_safe("<a href='?" + q.urlencode() + "'>sort</a>"))


def subscribe(request):
    from urllib.parse import urlencode

    # the host comes from code; request values only fill the encoded query
    # ok: python.open-redirect-from-request
    return redirect("https://pushover.example.com/subscribe?" + urlencode({"prio": request.POST.get("prio", "0")}))


def admin_panel(request):
    # ruleid: python.authorization-from-client-data
    if request.COOKIES.get("admin") == "1":
        return render(request, "admin.html")
    agent = request.META.get("HTTP_USER_AGENT", "")
    # ruleid: python.authorization-from-client-data
    if agent == "internal-admin-tool":
        return render(request, "admin.html")
    # ok: python.authorization-from-client-data
    if request.user.is_authenticated and request.user.is_staff:
        return render(request, "admin.html")
    # ok: python.authorization-from-client-data
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"admin": False})
    return redirect("home")
