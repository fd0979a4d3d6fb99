/** Pictures and pages for people: plots (PNG) and the self-contained HTML reports. */
package io.cxr4j.report;
