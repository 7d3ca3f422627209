"""Steps shared by the browser tests."""


def sign_in(page, email, password=None, site=""):
    """Sign in through allauth's form, as a person would."""
    from ..factories import PASSWORD

    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password or PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
