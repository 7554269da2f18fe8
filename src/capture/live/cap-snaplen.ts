/** cap captures at most this many bytes of each packet (its binding.cc fixes it; it cannot be changed). */
export const CAP_SNAPLEN = 65535;
