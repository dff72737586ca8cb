package dev.rewind.internal.serial;

/**
 * Why objects of some class cannot be part of a checkpoint.
 *
 * @param why    the reason, phrased to follow "cannot save X at PATH: "
 * @param action what the programmer should do, e.g. "re-create it" or "reopen it"
 */
record Refusal(String why, String action) {
}
