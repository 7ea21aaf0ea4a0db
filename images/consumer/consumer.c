/* A stand-in for the node software that loads wavegate's content (a sensor loading its rules).
 * It reads the file every second and crashes, as a real consumer would on content it cannot
 * handle, when the file holds the marker string: the pod restarts, and keeps crashing while the
 * file is there, until the agent puts the stable revision back.
 *   consumer <file> <marker> */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int holds(const char *path, const char *marker) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) return -1;
  static char content[4 * 1024 * 1024];
  size_t length = fread(content, 1, sizeof content - 1, file);
  fclose(file);
  content[length] = '\0';
  return memmem(content, length, marker, strlen(marker)) != NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: consumer <file> <marker>\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  int last = -2;
  for (;;) {
    int crashing = holds(argv[1], argv[2]);
    if (crashing == 1) {
      fprintf(stderr, "consumer: %s holds \"%s\": crashing\n", argv[1], argv[2]);
      abort();
    }
    if (crashing != last) printf("consumer: %s %s\n", argv[1], crashing == 0 ? "loaded" : "not there yet");
    last = crashing;
    sleep(1);
  }
}
