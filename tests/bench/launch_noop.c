// SPDX-License-Identifier: Apache-2.0
/* The do-nothing job for the peak-RSS figure: built static, so the job's own
   memory stays far below the launcher's and ru_maxrss of the launch tree
   measures the sandbox. */
int main(void) { return 0; }
