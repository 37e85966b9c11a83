import json
import urllib.request


class JsonRpcProvider:
    """A JSON-RPC endpoint; nothing is sent until a method is called."""

    def __init__(self, url="https://rpc.eth-keyring.test"):
        self.url = url
        self._id = 0

    def _call(self, method, *params):
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": list(params)})
        req = urllib.request.Request(self.url, data=body.encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=4) as r:
            return json.load(r).get("result")

    def get_balance(self, address):
        return int(self._call("eth_getBalance", address, "latest"), 16)

    def get_transaction_count(self, address):
        return int(self._call("eth_getTransactionCount", address, "latest"), 16)
