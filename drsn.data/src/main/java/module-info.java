/** Signal loaders, noise at a chosen SNR, leak-free windowing and datasets. */
module drsn.data {
  exports drsn.data;
  exports drsn.data.io;
}
