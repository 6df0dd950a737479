"""Single sign-on with OpenID Connect (mozilla-django-oidc), beside password login.

A user who signs in through the institution's identity provider is matched to an
existing account (never created): by the stored (issuer, subject), else by a
verified e-mail. Roles stay managed in the product. See README "Single sign-on".
"""
