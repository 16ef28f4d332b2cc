// Placeholder entry point, replaced by the tally CLI.
int main() { return 0; }
