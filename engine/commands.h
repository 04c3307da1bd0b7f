/*
 * commands.h - the subcommands of the single `interdict` binary.
 *
 * Each takes the argv that follows the subcommand name (argv[0] is the
 * subcommand itself, as getopt expects) and returns the process exit
 * status: 0 success, 1 bad usage or a list that cannot be loaded.
 */
#ifndef INTERDICT_COMMANDS_H
#define INTERDICT_COMMANDS_H

int cmd_screen(int argc, char **argv);   /* cmd_screen.c */
int cmd_lists(int argc, char **argv);    /* cmd_lists.c */
int cmd_compare(int argc, char **argv);  /* cmd_compare.c */
int cmd_serve(int argc, char **argv);    /* serve.c */
int cmd_demo(int argc, char **argv);     /* demo.c: `make run` */
int cmd_journal(int argc, char **argv);  /* journal_cmd.c */

#endif
