#!/usr/bin/python3
# Lasso (python3-lasso) as the SAML service provider: an external oracle for the SAML interop test
# (security.md 2: never linked, only run). Usage: lasso_sp.py SP_METADATA IDP_METADATA RESPONSE_B64_FILE
# Prints "ACCEPTED nameid=<NameID>" and one "attr <Name>=<value>" line per attribute, or
# "REJECTED <lasso error>" (exit 1). Lasso checks the signature with the key of the IdP metadata,
# the Issuer against the IdP's entityID, the status and the assertion's conditions.
import sys

import lasso

sp_metadata, idp_metadata, response_file = sys.argv[1:4]
server = lasso.Server(sp_metadata)
server.addProvider(lasso.PROVIDER_ROLE_IDP, idp_metadata)
login = lasso.Login(server)
# Maestrano signs the Assertion, not the Response (spec 3.3): the Response-level hint is MAYBE (check
# a signature when there is one); Lasso then verifies the Assertion's signature with the IdP's key
# on its own, and a tampered Assertion fails there.
login.setSignatureVerifyHint(lasso.PROFILE_SIGNATURE_VERIFY_HINT_MAYBE)
try:
    login.processAuthnResponseMsg(open(response_file).read().strip())
    login.acceptSso()
except lasso.Error as e:
    print("REJECTED %s" % e)
    sys.exit(1)
assertion = login.assertion
print("ACCEPTED nameid=%s" % login.nameIdentifier.content)
for statement in assertion.attributeStatement or []:
    for attribute in statement.attribute or []:
        values = []
        for value in attribute.attributeValue or []:
            for node in value.any or []:
                values.append(node.content if hasattr(node, "content") else node.dump())
        print("attr %s=%s" % (attribute.name, "|".join(values)))
