"""Steps shared by the browser tests."""

import csv
import io
from pathlib import Path


def sign_in(page, email, password=None, site=""):
    """Sign in through allauth's form, as a person would."""
    from ..factories import PASSWORD

    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password or PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def narrow_to_country(page, code):
    """Choose a country in a dashboard's filters and apply them."""
    page.locator("#filter-country").select_option(code)
    page.locator(".dashboard-filters button[type=submit]").click()
    page.wait_for_url(f"**country={code}**")


def chart_numbers(page, chart_id):
    """The numbers a dashboard's chart draws, a list per dataset."""
    return page.evaluate(
        "(id) => Chart.getChart(id).data.datasets.map((set) => set.data)", chart_id
    )


def downloaded_csv(page, link):
    """The rows of the CSV file a click on `link` downloads."""
    with page.expect_download() as download:
        link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text)))
