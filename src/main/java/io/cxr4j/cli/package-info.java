/** The {@code cxr} command line: one picocli class per subcommand, shared options and exit codes. */
package io.cxr4j.cli;
