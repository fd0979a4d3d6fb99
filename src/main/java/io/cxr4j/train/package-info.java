/** Training runs for the models: options, schedules, coarse labels, checkpoints and resume. */
package io.cxr4j.train;
