#include <stdio.h>
int main(void) { puts("pkgtrap"); return 0; }
