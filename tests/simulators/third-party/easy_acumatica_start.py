"""Starts PyPI's easy-acumatica against an Acumatica (simulator) URL and lists the vendors.

Prints one JSON line: {"version": <endpoint version it chose>, "services": <entity services built>,
"vendors": <vendor count>} or {"error": "<what failed>"}. Used by third-party-clients.test.ts.
"""
import json
import sys
import tempfile

from easy_acumatica import AcumaticaClient

url, tenant, user, password = sys.argv[1:5]
try:
    with tempfile.TemporaryDirectory() as cache:
        client = AcumaticaClient(
            base_url=url,
            username=user,
            password=password,
            tenant=tenant,
            auto_load_env=False,
            cache_methods=False,
            cache_dir=cache,
            force_rebuild=True,
        )
        services = [n for n in dir(client) if not n.startswith("_") and hasattr(getattr(client, n), "get_list")]
        vendors = client.vendor.get_list()
        print(json.dumps({"version": client.endpoint_version, "services": len(services), "vendors": len(vendors)}))
        client.logout()
except Exception as err:  # the test reports what failed
    print(json.dumps({"error": f"{type(err).__name__}: {err}"[:500]}))
