void pkgtrap_runner_stub(void);void pkgtrap_runner_stub(void){}
