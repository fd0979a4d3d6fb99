/**
 * One library call per job a command runs over a whole dataset (train a classifier, evaluate it, mask a
 * dataset): the commands parse options and print, {@code cxr demo} chains the same calls. Each job
 * returns its result; files are written atomically by the packages below.
 */
package io.cxr4j.jobs;
