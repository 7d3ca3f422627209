"""Certificates anyone can verify: issued when earned, printed as PDF, confirmed on a public
page, and downloadable as a signed Open Badges 3.0 credential."""
