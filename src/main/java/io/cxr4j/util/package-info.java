/** Small shared helpers: atomic file writes, the user-facing bad-input exception, progress, version. */
package io.cxr4j.util;
