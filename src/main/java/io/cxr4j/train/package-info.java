/** Training loops for the models: options, augmentation, schedules, checkpoints and resume. */
package io.cxr4j.train;
